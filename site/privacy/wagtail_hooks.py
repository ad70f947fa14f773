"""Data protection in the Wagtail admin: the log actions for subject access and erasure."""

from wagtail import hooks


@hooks.register("register_log_actions")
def privacy_log_actions(actions):
    actions.register_action("privacy.subject_access", "Subject access download", "Downloaded a person's data")
    actions.register_action("privacy.erasure", "Erasure", "Erased a person's data")
