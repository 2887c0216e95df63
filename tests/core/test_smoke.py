from infludesk.core.models import Member


def test_given_a_member_when_read_back_then_role_and_workspace_hold(owner):
    member = Member.objects.select_related("workspace").get(pk=owner.pk)
    assert (member.role, member.workspace.slug, member.can_write) == ("owner", "acme", True)
