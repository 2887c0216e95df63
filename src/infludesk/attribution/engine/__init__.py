"""Pure attribution engine (numpy/scipy only): grouped journeys in, credit per channel out.

    table = parse_journeys(open("journeys.csv").read())
    result = attribute(table, "markov")          # .credit, .value, .removal_effects
    ci = bootstrap_shares(table, "markov", seed=1)

See docs/attribution.md for every model's exact definition.
"""

from infludesk.attribution.engine.bootstrap import ShareIntervals, bootstrap_shares
from infludesk.attribution.engine.markov import MarkovResult, markov, transition_counts
from infludesk.attribution.engine.models import MODELS, AttributionResult, attribute
from infludesk.attribution.engine.paths import (
    HEADER,
    SEPARATOR,
    JourneyFormatError,
    PathTable,
    format_journeys,
    group_journeys,
    parse_journeys,
    table_from_paths,
    table_from_rows,
)

__all__ = [
    "HEADER",
    "MODELS",
    "SEPARATOR",
    "AttributionResult",
    "JourneyFormatError",
    "MarkovResult",
    "PathTable",
    "ShareIntervals",
    "attribute",
    "bootstrap_shares",
    "format_journeys",
    "group_journeys",
    "markov",
    "parse_journeys",
    "table_from_paths",
    "table_from_rows",
    "transition_counts",
]
