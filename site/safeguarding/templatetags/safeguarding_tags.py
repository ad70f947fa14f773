from django import template

register = template.Library()


@register.inclusion_tag("safeguarding/includes/flag_button.html", takes_context=True)
def flag_button(context, kind, source_id, next_url=None):
    """The 'Flag a safeguarding concern' form, only for staff who can flag (safeguarding.add_case)."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return {
        "show": bool(user is not None and user.has_perm("safeguarding.add_case")),
        "kind": kind,
        "source_id": source_id,
        "next": next_url if next_url is not None else (request.get_full_path() if request else ""),
        "csrf_token": context.get("csrf_token"),
    }
