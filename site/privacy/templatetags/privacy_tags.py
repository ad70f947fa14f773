from django import template

from ..services.masking import shown_address

register = template.Library()


@register.filter
def contact_detail(value, user):
    """{{ contact.email|contact_detail:request.user }}: full for those allowed, else masked."""
    return shown_address(user, value)
