"""Ad-disclosure check for captions, following the FTC's Endorsement Guides and the UK CMA/ASA
guidance for influencers. Pure: no Django.

The rules (so results are predictable):
- A disclosure in the caption is required; the platform's paid-partnership label alone is not
  enough (``platform_label_only``).
- It must sit up front: start within the first ``UPFRONT_CHARS`` (125) characters, before the
  "more" cut, and not only inside a block of three or more hashtags closing the caption
  (``buried_disclosure``).
- Clear labels: #ad, #advert, #advertisement, "Ad"/"AD"/"Advert" as a word (lower-case "ad" only
  when set apart, e.g. "ad:" or "[ad]" or at the very start), #sponsored or "Sponsored by X",
  "Paid partnership with X", the FTC's example sentences ("Thanks to X for the free product",
  "I earn a commission on purchases through these links"), and the same labels in the caption's
  own language (Anzeige, Werbung, publicidad, publicité, pubblicità, reclame, advertentie,
  reklama, annonce, mainos, reklame, propaganda, "patrocinado" ...).
- "gifted", #gifted, "gifted by X" and "Thanks to X for the free product" count only when the
  relationship is gifted; under the stricter ``uk_cma`` policy a gift needs "Ad" too.
- "I earn a commission ..." counts for affiliate links only.
- #sp, #spon, #collab, #partner, #thanks, #ambassador, #brandambassador, #iworkwithX,
  #affiliate and a bare "thanks to X" are not enough (``ambiguous_tag``).
- #ad inside another word (#adventure, #adidas) is not a label.
- The brief's required mentions and hashtags must be present (``missing_mention``,
  ``missing_hashtag``), compared case-insensitively.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

UPFRONT_CHARS = 125
TRAILING_BLOCK_MIN_TAGS = 3


class Relationship(StrEnum):
    PAID = "paid"
    GIFTED = "gifted"
    AFFILIATE = "affiliate"
    AMBASSADOR = "ambassador"


class Policy(StrEnum):
    DEFAULT = "default"
    UK_CMA = "uk_cma"


REASON_WORDS = {
    "missing_disclosure": "no clear ad disclosure such as #ad in the caption",
    "platform_label_only": "the platform's paid-partnership label alone is not enough",
    "buried_disclosure": "the disclosure is not up front (after the first 125 characters or "
    "only in the hashtag block at the end)",
    "ambiguous_tag": "is not a clear disclosure",
    "gifted_not_gifted": "'gifted' only discloses a free product, not this relationship",
    "gift_needs_ad": "under the UK CMA policy a gift needs 'Ad' as well",
    "missing_mention": "a mention the brief requires is missing",
    "missing_hashtag": "a hashtag the brief requires is missing",
}

# Hashtags that clearly disclose any material connection (compared in folded lower case).
_CLEAR_TAGS = {
    "ad",
    "ads",
    "advert",
    "advertisement",
    "advertising",
    "sponsored",
    "paidpartnership",
    "paidad",
    "anzeige",
    "werbung",
    "publicidad",
    "publicite",
    "pubblicita",
    "reclame",
    "advertentie",
    "reklama",
    "reklame",
    "annonce",
    "mainos",
    "patrocinado",
    "patrocinio",
    "sponsorizzato",
    "gesponsord",
    "gesponsert",
}
_GIFT_TAGS = {"gifted", "giftedby", "gift", "prgift", "freeproduct"}
_AMBIGUOUS_TAGS = {
    "sp",
    "spon",
    "collab",
    "collaboration",
    "partner",
    "partnership",
    "thanks",
    "thankyou",
    "ambassador",
    "brandambassador",
    "affiliate",
    "affiliatelink",
}
_IWORKWITH = re.compile(r"^iworkwith\w+$")

# Phrases (searched in the folded caption).
_CLEAR_PHRASES = [
    re.compile(r"\bpaid partnership\b"),
    re.compile(r"\bsponsored by\b"),
    re.compile(r"\bin paid partnership with\b"),
    re.compile(r"\b(?:anzeige|werbung|publicidad|publicite|pubblicita|reclame|advertentie)\b"),
]
_GIFT_PHRASES = [
    re.compile(r"\bgifted\b"),
    re.compile(r"\bthanks? to [^.!?\n]{1,60}? for (?:the|my|this|these) (?:free|gifted)\b"),
    re.compile(r"\b(?:free|complimentary) (?:product|products|sample|samples) (?:from|by)\b"),
]
_COMMISSION_PHRASES = [
    re.compile(r"\bi (?:earn|get|receive|make) (?:a )?commissions?\b"),
    re.compile(r"\bcommission (?:on|from) (?:purchases|sales)\b"),
]
_BARE_THANKS = re.compile(r"\bthanks? to @?\w+")
# "Ad" / "AD" / "Advert" as a word, in the original (unfolded) text.
_AD_WORD = re.compile(r"(?<![\w#@])(?:AD|Ad|ADVERT|Advert)(?![\w'\u2019-])")
# lower-case "ad" only when clearly set apart.
_AD_LOWER = re.compile(
    r"(?:^\s*ad\b|[\[(]\s*ad\s*[\])]|(?<![\w#@])ad\s*[:|\u2013\u2014])", re.IGNORECASE
)
_HASHTAG = re.compile(r"#(\w+)", re.UNICODE)
_MENTION = re.compile(r"@([\w.]+)", re.UNICODE)


def fold(text: str) -> str:
    """Lower case without accents: 'Publicité' -> 'publicite'."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class Finding:
    code: str
    detail: str = ""

    def text(self) -> str:
        words = REASON_WORDS[self.code]
        return (
            f"{self.code}: {self.detail} {words}".strip()
            if self.detail
            else f"{self.code}: {words}"
        )


@dataclass(frozen=True)
class DisclosureResult:
    compliant: bool
    findings: list[Finding] = field(default_factory=list)
    label: str = ""
    label_at: int | None = None

    @property
    def reasons(self) -> list[str]:
        return [f.code for f in self.findings]

    def reasons_text(self) -> str:
        return "; ".join(f.text() for f in self.findings)


@dataclass(frozen=True)
class _Label:
    text: str
    start: int
    kind: str  # clear | gift | commission


def _trailing_block_start(caption: str) -> int:
    """Where the closing block of >= 3 hashtags (and mentions) starts, or len(caption)."""
    tokens = list(re.finditer(r"\S+", caption))
    start = len(caption)
    tags = 0
    for token in reversed(tokens):
        word = token.group()
        if word.startswith("#"):
            tags += 1
        elif not word.startswith("@"):
            break
        start = token.start()
    return start if tags >= TRAILING_BLOCK_MIN_TAGS else len(caption)


def _labels(caption: str) -> list[_Label]:
    folded = fold(caption)
    found: list[_Label] = []
    for match in _HASHTAG.finditer(caption):
        tag = fold(match.group(1))
        if tag in _CLEAR_TAGS:
            found.append(_Label(match.group(), match.start(), "clear"))
        elif tag in _GIFT_TAGS:
            found.append(_Label(match.group(), match.start(), "gift"))
    for pattern in (_AD_WORD, _AD_LOWER):
        for match in pattern.finditer(caption):
            found.append(_Label(match.group().strip(), match.start(), "clear"))
    for kind, patterns in (
        ("clear", _CLEAR_PHRASES),
        ("gift", _GIFT_PHRASES),
        ("commission", _COMMISSION_PHRASES),
    ):
        for pattern in patterns:
            for match in pattern.finditer(folded):
                # folding keeps positions for the scripts captions use here (one char -> one char
                # after dropping combining marks); map back by re-searching the original prefix.
                found.append(_Label(match.group(), _original_index(caption, match.start()), kind))
    return sorted(found, key=lambda label: label.start)


def _original_index(caption: str, folded_index: int) -> int:
    count = 0
    for index, char in enumerate(caption):
        if count >= folded_index:
            return index
        count += len(fold(char))
    return len(caption)


def _ambiguous(caption: str) -> list[str]:
    tags = []
    for match in _HASHTAG.finditer(caption):
        tag = fold(match.group(1))
        if tag in _AMBIGUOUS_TAGS or _IWORKWITH.match(tag):
            tags.append(match.group())
    if not tags:
        bare = _BARE_THANKS.search(fold(caption))
        if bare:
            tags.append(f'"{bare.group()}"')
    return tags


def _counts(label: _Label, relationship: Relationship, policy: Policy) -> bool:
    if label.kind == "clear":
        return True
    if label.kind == "gift":
        return relationship == Relationship.GIFTED and policy == Policy.DEFAULT
    return relationship == Relationship.AFFILIATE


def check_caption(
    caption: str,
    *,
    relationship: Relationship | str,
    paid_partnership_label: bool = False,
    required_mentions: list[str] | tuple[str, ...] = (),
    required_hashtags: list[str] | tuple[str, ...] = (),
    policy: Policy | str = Policy.DEFAULT,
) -> DisclosureResult:
    """Check one caption. Compliant when a label that counts for this relationship stands up
    front and the brief's required mentions and hashtags are present."""
    relationship = Relationship(relationship)
    policy = Policy(policy)
    findings: list[Finding] = []
    labels = _labels(caption)
    counting = [label for label in labels if _counts(label, relationship, policy)]
    block_start = _trailing_block_start(caption)
    upfront = [
        label for label in counting if label.start < UPFRONT_CHARS and label.start < block_start
    ]
    chosen: _Label | None = upfront[0] if upfront else None
    if chosen is None:
        if counting:
            findings.append(Finding("buried_disclosure", f"{counting[0].text!r}:"))
        else:
            gifts = [label for label in labels if label.kind == "gift"]
            if gifts and relationship != Relationship.GIFTED:
                findings.append(Finding("gifted_not_gifted", f"({relationship.value})"))
            elif gifts and policy == Policy.UK_CMA:
                findings.append(Finding("gift_needs_ad"))
            ambiguous = _ambiguous(caption)
            if ambiguous:
                findings.append(Finding("ambiguous_tag", ", ".join(ambiguous)))
            if paid_partnership_label:
                findings.append(Finding("platform_label_only"))
            findings.append(Finding("missing_disclosure"))
    findings.extend(_brief_findings(caption, required_mentions, required_hashtags))
    return DisclosureResult(
        compliant=not findings,
        findings=findings,
        label=chosen.text if chosen else "",
        label_at=chosen.start if chosen else None,
    )


def _brief_findings(
    caption: str, mentions: list[str] | tuple[str, ...], hashtags: list[str] | tuple[str, ...]
) -> list[Finding]:
    present_mentions = {fold(m) for m in _MENTION.findall(caption)}
    present_tags = {fold(t) for t in _HASHTAG.findall(caption)}
    findings = [
        Finding("missing_mention", f"@{m.lstrip('@')}")
        for m in mentions
        if fold(m.lstrip("@")) not in present_mentions
    ]
    findings += [
        Finding("missing_hashtag", f"#{t.lstrip('#')}")
        for t in hashtags
        if fold(t.lstrip("#")) not in present_tags
    ]
    return findings
