# ruff: noqa: E501  (a translation table: each English note beside its Chinese text reads best unbroken)
"""Chinese text of every note the demo scenario writes (``build.py`` puts it in ``attrs.notes_zh``), so
that a Chinese page shows our own notes in Chinese. Keyed by the English note, exactly as written in
``build.py``; a note missing here stops the build.

Translations keep the seed documents' own Chinese wording where a note quotes it.
"""

from __future__ import annotations

_SHUOZHOU_DEMO = ("Demo: seed 003 gives only the counts (2 formal pairs, 8 MoUs, all before 2020); this partner city "
                  "was chosen as an illustration ({}).")
_SHUOZHOU_DEMO_ZH = "示例数据:规划文件 003 只给出数量(正式友城 2 对、友好合作备忘录 8 份,均在 2020 年前);此友城系举例选取({})。"
_SHUOZHOU_REASONS = {"coal": "煤炭", "energy": "能源", "mining": "矿业", "a coal-mining city": "煤矿城市",
                     "China-Europe freight trains": "中欧班列", "former coal": "原煤炭城市", "coal and steel": "煤炭和钢铁"}
_STUDENTS = ("82 students from 4 schools (incl. 梁丰高中) to the US, Australian, Japanese and Korean partners; the city "
             "in each country is inferred (the only partner named there)")
_STUDENTS_ZH = "4 所学校(含梁丰高中)82 名学生赴美国、澳大利亚、日本、韩国友城;各国城市系推断(该国唯一提及的友城)"

NOTES_ZH: dict[str, str] = {
    # Nanning (seed 004, part 1)
    "The autonomous region (自治区, 我区) that seed 004 part 1 refers to.": "规划文件 004 篇1 所称的自治区(“我区”)。",
    "越南、泰国、柬埔寨驻我市领馆(办事处): the plan promises them good service and invitations.":
        "越南、泰国、柬埔寨驻我市领馆(办事处):规划承诺为其做好服务并发出邀请。",
    "Demo: seed 004 plans ties with large foreign-invested enterprises in Nanning (驻邕大型外资企业) but names none; "
    "this enterprise is invented.":
        "示例数据:规划文件 004 计划与驻邕大型外资企业建立联系,但未列出名称;此企业为虚构。",
    "Demo: not in seed 004; real geography, included for invented links.":
        "示例数据:规划文件 004 未提及;地理信息真实,仅为虚构的联系而收录。",
    "The only county or district of Nanning with its own foreign affairs office (目前我市只有武鸣县设有外办).":
        "南宁唯一设有外办的县区(目前我市只有武鸣县设有外办)。",
    "Seed 004 part 1 is Nanning's foreign-affairs plan (city name redacted as ——; 邕 and 武鸣县 identify it). It serves "
    "the China-ASEAN Expo and plans a consular district (筹建领事馆区). Layout: ASEAN first, deepen Japan and Korea, "
    "expand to Europe, America and Australia, keep Latin America and Africa in view.":
        "规划文件 004 篇1 为南宁的外事规划(城市名隐去为“——”,据“邕”和“武鸣县”可以确认)。规划服务中国—东盟博览会,"
        "筹建领事馆区。布局:以东盟为重点,深化日韩,拓展欧美澳,兼顾拉美和非洲。",
    "Demo: seed 004 plans ties with university exchange offices in Nanning (驻邕大学国际交流机构) but names none; this "
    "one and its Hanoi link are invented.":
        "示例数据:规划文件 004 计划与驻邕大学国际交流机构建立联系,但未列出名称;此机构及其与河内的联系为虚构。",
    "The paper's name is redacted in the seed (——晚报社).": "规划文件中报社名称已隐去(——晚报社)。",
    "Founded in the early 1980s and never re-elected; the plan prepares its renewal and recruits members to carry "
    "people-to-people diplomacy.":
        "成立于 20 世纪 80 年代初,此后未换届;规划拟筹备换届并发展会员,开展民间外交。",
    "Demo: seed 004 plans a regular honorary citizens' forum (荣誉市民座谈会) but names no one; this person and their "
    "home city are invented.":
        "示例数据:规划文件 004 计划定期举办荣誉市民座谈会,但未列出人名;此人及其所在城市为虚构。",
    "Its former pupils are sought in Vietnam; the seed says no more about the school.":
        "规划拟在越南寻找该校校友;文件对该校再无其他记述。",
    "Existing partner: civil-servant exchange continues (继续开展与韩国果川市的公务员交流活动).":
        "现有友城:继续开展与韩国果川市的公务员交流活动。",
    "Target: 重点推进与…美国洛杉矶郡的交往, 争取建立友好城市关系 (aim: a formal sister-city tie).":
        "目标:重点推进与……美国洛杉矶郡的交往,争取建立友好城市关系(正式友城)。",
    "Demo: seed 004 does not state the consular district; Guangxi is assumed.":
        "示例数据:规划文件 004 未说明领区;假定为广西。",
    "Demo: this link is invented, as is the demo node it joins (see its notes).":
        "示例数据:此联系为虚构,其连接的示例记录亦为虚构(见该记录备注)。",
    "A Nanning winter camp goes to Uki (冬令营赴日本宇城), yet the same plan lists Japan among the sister-city gaps "
    "(友城空白区), so Uki is modelled as a friendly-exchange partner, not a formal one.":
        "南宁冬令营赴日本宇城,但同一规划又将日本列为友城空白区,因此宇城按友好交流城市记录,而非正式友城。",
    "Existing partner: Nanning sends Chinese teachers to Khon Kaen (向泰国孔敬市选派中文教师).":
        "现有友城:向泰国孔敬市选派中文教师。",
    "Target: 重点推进与印尼茂物市…的交往, 争取建立友好城市关系 (aim: a formal sister-city tie).":
        "目标:重点推进与印尼茂物市……的交往,争取建立友好城市关系(正式友城)。",
    "Proposed: investment promotion, food, performances, sports and product shows.":
        "拟开展:招商推介、美食、文艺演出、体育和产品展示。",
    "尝试与泰国其它城市和越南海防市等其它东盟国家城市开展类似项目.": "尝试与泰国其它城市和越南海防市等其它东盟国家城市开展类似项目。",
    "Existing partner: a Nanning student summer camp to Bundaberg is planned.": "现有友城:拟组织南宁学生夏令营赴班达伯格。",
    "Existing partner: a Knowsley student summer camp to Nanning is being arranged (努力促成英国诺斯利市学生夏令营访问).":
        "现有友城:努力促成英国诺斯利市学生夏令营访问南宁。",
    "With the foreign affairs office, to build a wider network of people in Vietnam (逐步在越南建立更广泛的人缘网络).":
        "与外办合作,逐步在越南建立更广泛的人缘网络。",
    # Zhangjiagang (seed 004, part 4)
    "Seed 004 part 4 is Zhangjiagang's report (张家港党政干部因公出国(境)会审制度). A county-level city of Suzhou; "
    "industries named: Yangtze River international metallurgy park, silicone, lithium batteries, solar, LED; "
    "logistics is a quarter of Suzhou's.":
        "规划文件 004 篇4 为张家港的报告(张家港党政干部因公出国(境)会审制度)。张家港为苏州市辖县级市;文中提及的产业:"
        "扬子江国际冶金工业园、有机硅、锂电池、光伏、半导体照明;物流量占苏州的四分之一。",
    "Demo: seed 004 mentions an Australian partner of Zhangjiagang without naming it; Glenelg (real geography) stands "
    "in for it.":
        "示例数据:规划文件 004 提到张家港有一个澳大利亚友城,但未说明是哪座城市;以格莱内尔格(真实地理)代替。",
    "The seed writes 维亚基马; most probably Vyazma (维亚济马, Smolensk oblast). Uncertain.":
        "文件写作“维亚基马”,很可能是斯摩棱斯克州的维亚济马。不确定。",
    "Demo: seed 004 reports one honorary citizens' delegation (荣誉市民团1批) but names no one.":
        "示例数据:规划文件 004 记载接待荣誉市民团 1 批,但未列出人名。",
    "Demo: seed 004 counts 9 paired schools but names 5; this one is a placeholder.":
        "示例数据:规划文件 004 记载 9 所结对学校,但只列出 5 所;此校为占位记录。",
    "One of the 9 Zhangjiagang schools paired with 10 foreign schools.": "张家港与 10 所外国学校结对的 9 所学校之一。",
    "Hosted a Pohang student group (families made wontons together).": "接待浦项学生团(与寄宿家庭一起包馄饨)。",
    "Demo: seed 004 counts 10 foreign partner schools but names none; school, city and pairing are invented.":
        "示例数据:规划文件 004 记载 10 所外国友好学校,但未列出名称;学校、城市及结对关系均为虚构。",
    "庆尚南道 offered Zhangjiagang farm products a free exhibition in Korea.": "庆尚南道为张家港农产品在韩国提供免费展位。",
    "拜访了韩国、日本驻沪领使馆的商务领事.": "拜访了韩国、日本驻沪领使馆的商务领事。",
    "韩国、俄罗斯、澳大利亚、德国友城均与我市企业有经贸上的往来 (the Korean partner is taken to be Pohang, the only one "
    "named).":
        "韩国、俄罗斯、澳大利亚、德国友城均与我市企业有经贸上的往来(韩国友城按文中唯一提及的浦项记录)。",
    f"{_STUDENTS}.": f"{_STUDENTS_ZH}。",
    f"{_STUDENTS}; the Australian city is demo.": f"{_STUDENTS_ZH};澳大利亚城市为示例数据。",
    "Lauenburg attended the county (city) 50th anniversary in late October; firms reached preliminary cooperation "
    "intentions.":
        "劳恩堡于 10 月下旬出席建县(市)50 周年庆典;双方企业达成初步合作意向。",
    "Letter of intent for a friendly-exchange city relationship signed in April (year redacted as 20xx): "
    "Zhangjiagang's first European partner. Government, trade and first student exchanges followed.":
        "4 月(年份隐去为 20××)签署友好交流城市意向书:张家港在欧洲的首个友城。此后开展了政府、经贸交流和首次学生交流。",
    "Two Pohang student groups (友城学生团) visited.": "浦项两批友城学生团来访。",
    "友城丸龟市: its TV station broadcast the 览真公祭 footage.": "友城丸龟市:其电视台播放了览真公祭活动影像。",
    "Demo: seed 004 says Zhangjiagang has an Australian partner (澳大利亚友城) but not which city.":
        "示例数据:规划文件 004 称张家港有澳大利亚友城,但未说明是哪座城市。",
    "友城政府团 visited in the first half-year.": "上半年友城政府团来访。",
    "Two groups; students stayed with local families.": "两批;学生入住当地家庭。",
    "Joint performance written and hosted by students of both cities.": "两市学生共同编排并主持联合演出。",
    "在友城丸龟市电视台播放览真公祭活动影像 (览真 as written; probably 鉴真, Jianzhen).":
        "在友城丸龟市电视台播放览真公祭活动影像(“览真”照原文,应为“鉴真”)。",
    "友城政府团 (first half-year).": "友城政府团(上半年)。",
    "Demo: the visit is in the seed; this member is invented.": "示例数据:此次访问见于规划文件;此成员为虚构。",
    # Tongchuan (seed 001)
    "Seed 001: a western model city for upgrading traditional industries; no Japanese sister city for many years "
    "(填补我市与日本多年来没有友好城市的空白).":
        "规划文件 001:西部传统产业转型升级示范城市;多年来与日本没有友好城市(填补我市与日本多年来没有友好城市的空白)。",
    "国际友城韩国奉化郡: the tie is being consolidated.": "国际友城韩国奉化郡:巩固友城关系。",
    "国际友城美国约巴林达市: the tie is being consolidated.": "国际友城美国约巴林达市:巩固友城关系。",
    "Aim: a first Japanese sister city.": "目标:建立首个日本友好城市。",
    "Three editions held in Japan under the three-year Japan exchange plan.": "按对日交流三年计划在日本举办三届。",
    # Shuozhou (seed 003)
    **{_SHUOZHOU_DEMO.format(en): _SHUOZHOU_DEMO_ZH.format(zh) for en, zh in _SHUOZHOU_REASONS.items()},
    "Home of the Yingxian Wooden Pagoda (应县木塔).": "应县木塔所在地。",
    "Seed 003: 2 formal sister-city agreements and 8 friendly-cooperation MoUs, all before 2020; Buddhist culture "
    "(应县木塔) suggested for exchanges with Japan and Sri Lanka; China-Central Asia and China-Europe freight trains.":
        "规划文件 003:正式友城协议 2 份、友好合作备忘录 8 份,均在 2020 年前;建议以佛教文化(应县木塔)与日本、斯里兰卡"
        "开展交流;中亚班列和中欧班列。",
    # Matching-city tags (issue 14): why each seed peer carries its tag
    "Tagged buddhist-heritage: Kandy, the Temple of the Sacred Tooth Relic (World Heritage: Sacred City of Kandy).":
        "标签“佛教文化遗产”:康提佛牙寺(世界遗产:圣城康提)。",
    "Tagged buddhist-heritage: Anuradhapura (World Heritage: Sacred City of Anuradhapura).":
        "标签“佛教文化遗产”:阿努拉德普勒(世界遗产:圣城阿努拉德普勒)。",
    "Tagged ceramics: Icheon ceramics; UNESCO Creative City of Crafts and Folk Art.":
        "标签“陶瓷”:利川陶瓷;联合国教科文组织手工艺与民间艺术创意城市。",
    "Tagged ceramics: Seto ware (濑户烧): setomono, the Japanese word for ceramics, is named after it.":
        "标签“陶瓷”:濑户烧;日语中陶瓷的统称“濑户物”即得名于此。",
    "Tagged buddhist-heritage: Nara's Buddhist temples (World Heritage: Historic Monuments of Ancient Nara).":
        "标签“佛教文化遗产”:奈良的佛教寺院(世界遗产:古奈良历史遗迹)。",
    "Tagged buddhist-heritage: Kyoto's Buddhist temples (World Heritage: Historic Monuments of Ancient Kyoto).":
        "标签“佛教文化遗产”:京都的佛教寺院(世界遗产:古京都历史遗迹)。",
    "Tagged ceramics: Arita ware (有田烧), porcelain since the 17th century.":
        "标签“陶瓷”:有田烧,17 世纪以来的瓷器产地。",
    "Tagged ceramics: The Potteries: Stoke-on-Trent's six towns of ceramics industry.":
        "标签“陶瓷”:斯托克城的“陶瓷六镇”陶瓷工业区。",
    "Tagged ceramics: Delftware (代尔夫特蓝陶).": "标签“陶瓷”:代尔夫特蓝陶。",
    "Tagged ceramics: Meissen porcelain, the first European hard-paste porcelain.":
        "标签“陶瓷”:迈森瓷器,欧洲最早的硬质瓷。",
    "Tagged ceramics: Limoges porcelain.": "标签“陶瓷”:利摩日瓷器。",
}
"""English note → its Chinese text."""
