"""Rebuild ``graph_service/resources/admin1_names_zh.json``: the Chinese names of China's provincial-level
divisions, keyed by GeoNames admin1 code (``"CN.16"`` → 广西壮族自治区).

GeoNames and CLDR carry no official Chinese names for these, so the table is entered by hand below:
the full official names (省, 自治区, 直辖市) of the 31 mainland divisions GeoNames codes, and the names
of the GeoNames divisions of Taiwan, Hong Kong and Macao as used in the PRC's own gazetteers. A
division of another country keeps its English name on Chinese pages (no Chinese name in the data).

Run with any Python 3.11: ``python3 scripts/generate_admin1_names_zh.py``, then ``git diff``.
"""

from __future__ import annotations

from table_generator import run

HAND_ENTERED: dict[str, str] = {
    "CN.01": "安徽省", "CN.02": "浙江省", "CN.03": "江西省", "CN.04": "江苏省", "CN.05": "吉林省",
    "CN.06": "青海省", "CN.07": "福建省", "CN.08": "黑龙江省", "CN.09": "河南省", "CN.10": "河北省",
    "CN.11": "湖南省", "CN.12": "湖北省", "CN.13": "新疆维吾尔自治区", "CN.14": "西藏自治区", "CN.15": "甘肃省",
    "CN.16": "广西壮族自治区", "CN.18": "贵州省", "CN.19": "辽宁省", "CN.20": "内蒙古自治区",
    "CN.21": "宁夏回族自治区", "CN.22": "北京市", "CN.23": "上海市", "CN.24": "山西省", "CN.25": "山东省",
    "CN.26": "陕西省", "CN.28": "天津市", "CN.29": "云南省", "CN.30": "广东省", "CN.31": "海南省",
    "CN.32": "四川省", "CN.33": "重庆市",
    "TW.01": "金门、马祖", "TW.02": "高雄市", "TW.03": "台北市", "TW.04": "台湾省",
    "HK.00": "九龙城区", "HK.HCW": "中西区", "HK.HWC": "湾仔区", "HK.KSS": "深水埗区", "HK.KWT": "黄大仙区",
    "HK.NSK": "西贡区", "HK.NST": "沙田区", "HK.NTM": "屯门区", "HK.NTP": "大埔区",
    "MO.02": "澳门",
}


def admin1_names_zh() -> dict[str, str]:
    return dict(HAND_ENTERED)


if __name__ == "__main__":
    run(admin1_names_zh, "admin1_names_zh.json", __doc__ or "")
