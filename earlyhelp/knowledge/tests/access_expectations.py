"""Who may open the knowledge pages: each part states its own in tests/expect_<part>.py."""

from earlyhelp.knowledge.tests import (
    expect_catalogue,
    expect_items,
    expect_outcomes,
    expect_partners,
    expect_reviews,
)

EXPECTATIONS = {
    **expect_catalogue.EXPECTATIONS,
    **expect_items.EXPECTATIONS,
    **expect_partners.EXPECTATIONS,
    **expect_outcomes.EXPECTATIONS,
    **expect_reviews.EXPECTATIONS,
}
