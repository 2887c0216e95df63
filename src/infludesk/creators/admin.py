"""Light admin registrations (list pages); the app's own pages are where creators are managed."""

from infludesk.core.admin import register_simple
from infludesk.creators import models as m

register_simple(
    m.Creator, ["name", "email", "country", "workspace"], search_fields=["name", "email"]
)
register_simple(
    m.SocialAccount,
    ["handle", "platform", "followers", "tier", "engagement_rate", "creator", "workspace"],
    search_fields=["handle"],
    list_filter=["platform", "tier"],
)
register_simple(m.AccountSnapshot, ["account", "taken_at", "followers", "engagement_rate"])
register_simple(
    m.Post, ["platform_post_id", "account", "posted_at", "likes", "comments", "is_sponsored"]
)
register_simple(m.PostComment, ["external_id", "post", "author_handle", "posted_at"])
register_simple(m.FollowerSample, ["handle", "account", "followers", "fake_probability"])
register_simple(m.Shortlist, ["name", "workspace", "created_by", "created_at"])
register_simple(m.ShortlistEntry, ["shortlist", "creator", "note"])
# Tokens are pasted (no OAuth flow yet); the list never shows the token itself.
register_simple(
    m.SocialCredential,
    ["platform", "account", "external_user_id", "status", "expires_at", "workspace"],
    list_filter=["platform", "status"],
)
