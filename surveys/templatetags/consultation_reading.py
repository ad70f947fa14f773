"""The easy-read link and the documents on a consultation's intro, as tags so every page that shows
a consultation (in any language) lists them the same way; surveys/reading.py chooses what is shown."""

from django import template

from parentvoice.languages import language_name

from .. import reading

register = template.Library()


@register.inclusion_tag("surveys/includes/easy_read_link.html")
def easy_read_link(page):
    link = reading.easy_read_link(page)
    return {
        "link": link,
        "language_name": language_name(link.language_code) if link and link.language_code else "",
    }


@register.inclusion_tag("surveys/includes/documents.html")
def consultation_documents(page):
    return {"documents": reading.public_documents(page)}
