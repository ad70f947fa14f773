"""A Wagtail listing column for a parent's email address or mobile: in full for staff with
privacy.view_contact_details, masked (07••• •••123, e•••@example.org) for everyone else.

    list_display = ["name", ContactDetailColumn("email"), ContactDetailColumn("mobile")]
"""

from wagtail.admin.ui.tables import Column

from .services.masking import shown_address


class ContactDetailColumn(Column):
    def get_cell_context_data(self, instance, parent_context):
        context = super().get_cell_context_data(instance, parent_context)
        request = parent_context.get("request")
        shown = shown_address(getattr(request, "user", None), context["raw_value"])
        context["raw_value"] = shown
        context["value"] = shown or self.empty_value_display
        return context
