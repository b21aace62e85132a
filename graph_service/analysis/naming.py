"""How analysis texts name nodes, per language and home-country policy.

In English a node reads ``Khon Kaen (孔敬)`` (its Chinese name beside the main one, when known); in
Chinese it reads ``孔敬`` (its Latin name where no Chinese one is known). A country the policy names
officially reads by that name: for a Chinese home city, ``TW`` is 中国台湾 / "Taiwan, China".

>>> from graph_service.model import Node
>>> from graph_service.policy import policy_for
>>> names = NodeNames({"TW": Node(id="TW", kind="Country", name="Taiwan", name_zh="台湾"),
...                    "kk": Node(id="kk", kind="City", name="Khon Kaen", name_zh="孔敬")}, policy_for("CN"))
>>> names.label("kk", "en"), names.label("kk", "zh"), names.label("TW", "zh"), names.label("TW", "en")
('Khon Kaen (孔敬)', '孔敬', '中国台湾', 'Taiwan, China')
"""

from __future__ import annotations

from collections.abc import Mapping

from graph_service.i18n import Lang
from graph_service.ingest.country_names_zh import COUNTRY_NAMES_ZH
from graph_service.model import Node, NodeKind
from graph_service.policy import Policy


class NodeNames:
    """Names of the nodes of one projection, as one home country's policy has them shown."""

    def __init__(self, nodes: Mapping[str, Node], policy: Policy):
        self.nodes, self.policy = nodes, policy

    def name(self, node_id: str, lang: Lang) -> str:
        """The node's name alone: Chinese on Chinese pages where known, the official name of a territory."""
        node = self.nodes.get(node_id)
        if node is None:
            return node_id
        if node.kind is NodeKind.COUNTRY:
            official = self.policy.country_name(node.id, lang)
            if official:
                return official
            if lang == "zh" and not node.name_zh and node.id in COUNTRY_NAMES_ZH:
                return COUNTRY_NAMES_ZH[node.id]
        return node.name_zh if lang == "zh" and node.name_zh else node.name

    def label(self, node_id: str, lang: Lang) -> str:
        """``name`` in Chinese; in English the name with the Chinese name beside it."""
        name = self.name(node_id, lang)
        node = self.nodes.get(node_id)
        if lang == "zh" or node is None or not node.name_zh or node.name_zh == name:
            return name
        if node.kind is NodeKind.COUNTRY and self.policy.country_name(node.id, lang):
            return name
        return f"{name} ({node.name_zh})"
