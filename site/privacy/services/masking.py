"""Parents' addresses in staff lists: in full for users with privacy.view_contact_details, else masked."""

from parentvoice.text import masked_email, masked_mobile


def shown_address(user, address) -> str:
    """The email address or mobile as this user may see it in a list ("" for none)."""
    text = str(getattr(address, "as_e164", None) or address or "")
    if not text:
        return ""
    if user is not None and user.has_perm("privacy.view_contact_details"):
        return text
    return masked_email(text) if "@" in text else masked_mobile(text)
