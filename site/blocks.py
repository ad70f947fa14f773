from wagtail import blocks

RICH_TEXT_FEATURES = ["h2", "h3", "bold", "link", "document-link", "ol", "ul"]


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(max_length=120)
    level = blocks.ChoiceBlock(choices=[("h2", "Heading 2"), ("h3", "Heading 3")], default="h2")

    class Meta:
        icon = "title"
        template = "blocks/heading_block.html"


class InsetTextBlock(blocks.TextBlock):
    class Meta:
        icon = "openquote"
        template = "blocks/inset_text_block.html"
        help_text = "A short piece of text set apart from the rest, such as a quote or an example."


class WarningTextBlock(blocks.TextBlock):
    class Meta:
        icon = "warning"
        template = "blocks/warning_text_block.html"


class DetailsBlock(blocks.StructBlock):
    summary = blocks.CharBlock(max_length=120, help_text="The link text people select to open the details.")
    text = blocks.RichTextBlock(features=RICH_TEXT_FEATURES)

    class Meta:
        icon = "collapse-down"
        template = "blocks/details_block.html"


class ButtonLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(max_length=60)
    page = blocks.PageChooserBlock(required=False)
    url = blocks.URLBlock(required=False, help_text="Used only when no page is chosen.")

    class Meta:
        icon = "link"
        template = "blocks/button_link_block.html"


class BaseStreamBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(features=RICH_TEXT_FEATURES, template="blocks/paragraph_block.html")
    inset_text = InsetTextBlock()
    warning_text = WarningTextBlock()
    details = DetailsBlock()
    button = ButtonLinkBlock()
