"""The staff roles, as Wagtail groups with their model permissions.

Applied by a data migration and again by `manage.py sync_roles` (and `load_demo_content`), so a role
gains permissions for new models when an app that adds them is deployed. Page permissions (which part
of the page tree a group may edit) are granted where the pages are created, e.g. per forum.
"""

ADMIN_ACCESS = ["wagtailadmin.access_admin"]
MEDIA = [
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
]

# Contacts, consents and messages are personal data: officers only.
MESSAGING_OFFICER = [
    "messaging.view_contact",
    "messaging.add_contact",
    "messaging.change_contact",
    "messaging.delete_contact",
    "messaging.view_consent",
    "messaging.view_campaign",
    "messaging.add_campaign",
    "messaging.change_campaign",
    "messaging.view_message",
    "messaging.view_suppression",
    "messaging.add_suppression",
    "messaging.delete_suppression",
    "messaging.view_contactimport",
    "messaging.add_contactimport",
    "messaging.view_inboundmessage",
]

# 'You said, we did': officers write up what parents said; officers and decision makers record decisions.
FEEDBACK_ITEMS = [
    "feedback_loop.view_feedbackitem",
    "feedback_loop.add_feedbackitem",
    "feedback_loop.change_feedbackitem",
    "feedback_loop.delete_feedbackitem",
    "feedback_loop.publish_feedbackitem",
    "feedback_loop.view_theme",
    "feedback_loop.add_theme",
    "feedback_loop.change_theme",
]
# 'Tell us' (docs/tell-us.md): officers read and triage what parents told us, and record what they heard.
OPEN_FEEDBACK = [
    "feedback_loop.view_openfeedback",
    "feedback_loop.add_openfeedback",
    "feedback_loop.change_openfeedback",
]
DECISIONS = [
    "feedback_loop.view_feedbackitem",
    "feedback_loop.view_decision",
    "feedback_loop.add_decision",
    "feedback_loop.change_decision",
    "feedback_loop.publish_decision",
]

# Anyone who reads parents' free text can flag it for a safeguarding lead (adding a case); only leads
# can open the queue and the cases.
FLAG_CONCERN = ["safeguarding.add_case"]
SAFEGUARDING = [
    "safeguarding.view_case",
    "safeguarding.add_case",
    "safeguarding.change_case",
    "safeguarding.view_concernterm",
    "safeguarding.add_concernterm",
    "safeguarding.change_concernterm",
    "safeguarding.delete_concernterm",
]
# Subject access and erasure; and seeing parents' full email addresses and mobiles in lists (staff
# without it see 07*** ***123).
DATA_PROTECTION = ["privacy.handle_data_requests", "privacy.view_datarequest", "privacy.view_retentionrun"]
CONTACT_DETAILS = ["privacy.view_contact_details"]

# The action plan: officers keep priorities and actions and may report on any action; an action lead
# reports progress on the actions they lead only (Action.lead_users); decision makers read reports.
ACTION_PLAN_OFFICER = [
    "feedback_loop.view_priority",
    "feedback_loop.add_priority",
    "feedback_loop.change_priority",
    "feedback_loop.delete_priority",
    "feedback_loop.view_action",
    "feedback_loop.add_action",
    "feedback_loop.change_action",
    "feedback_loop.delete_action",
    "feedback_loop.report_on_any_action",
    "feedback_loop.view_progressreport",
    "feedback_loop.add_progressreport",
    "feedback_loop.delete_progressreport",
]
ACTION_LEAD = ["feedback_loop.view_progressreport", "feedback_loop.add_progressreport"]
REPORTS = ["feedback_loop.view_report", "feedback_loop.add_report"]
# Reach: partners and their links, benchmarks.
REACH_OFFICER = [
    "surveys.view_partner",
    "surveys.add_partner",
    "surveys.change_partner",
    "surveys.view_partnerlink",
    "surveys.add_partnerlink",
    "surveys.view_reachbenchmark",
    "surveys.add_reachbenchmark",
    "surveys.change_reachbenchmark",
    "surveys.delete_reachbenchmark",
]

# Events outside the fora (their bookings) and every forum's meeting write-ups.
EVENTS_OFFICER = ["forums.view_county_event_people", "forums.review_write_ups"]

FORUM_COORDINATORS = "Forum coordinators"
CONSULTATION_OFFICERS = "Consultation officers"
DECISION_MAKERS = "Decision makers"
SAFEGUARDING_LEADS = "Safeguarding leads"
ACTION_LEADS = "Action leads"

ROLES = {
    FORUM_COORDINATORS: {
        "description": "Publish their own forum's pages and events; see their own members and bookings.",
        "permissions": [*ADMIN_ACCESS, *MEDIA, "parentvoice.view_district", *FLAG_CONCERN],
    },
    CONSULTATION_OFFICERS: {
        "description": "Run consultations, manage contacts and campaigns, read results, record decisions.",
        "permissions": [
            *ADMIN_ACCESS,
            *MEDIA,
            "parentvoice.view_district",
            "parentvoice.add_district",
            "parentvoice.change_district",
            "parentvoice.change_sitesettings",
            "parentvoice.view_sitefeedback",
            "parentvoice.delete_sitefeedback",
            *MESSAGING_OFFICER,
            *FEEDBACK_ITEMS,
            *OPEN_FEEDBACK,
            *DECISIONS,
            "feedback_loop.delete_decision",
            "surveys.view_results",
            "surveys.view_response",
            "surveys.add_response",
            *FLAG_CONCERN,
            *DATA_PROTECTION,
            *CONTACT_DETAILS,
            *ACTION_PLAN_OFFICER,
            *REPORTS,
            *REACH_OFFICER,
            *EVENTS_OFFICER,
        ],
    },
    DECISION_MAKERS: {
        "description": "Read results and briefings; record and update decisions in the 'You said, we did' log.",
        "permissions": [
            *ADMIN_ACCESS,
            "parentvoice.view_district",
            *DECISIONS,
            "surveys.view_results",
            *FLAG_CONCERN,
            "feedback_loop.view_priority",
            "feedback_loop.view_action",
            "feedback_loop.view_progressreport",
            *REPORTS,
        ],
    },
    SAFEGUARDING_LEADS: {
        "description": "Review free text flagged as a possible safeguarding concern; keep the term list.",
        "permissions": [*ADMIN_ACCESS, "parentvoice.view_district", *SAFEGUARDING, *CONTACT_DETAILS],
    },
    ACTION_LEADS: {
        "description": "Report progress (red, amber, green or complete) on the action plan actions they lead.",
        "permissions": [*ADMIN_ACCESS, *ACTION_LEAD],
    },
}

# Consultation officers publish anywhere under the home page (consultations, notices, statements).
ROOT_PAGE_PERMISSIONS = {CONSULTATION_OFFICERS: ["add_page", "change_page", "publish_page"]}


def sync_roles(apps=None):
    """Create the groups and give each exactly the model permissions listed above that exist."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Page = apps.get_model("wagtailcore", "Page")

    root = Page.objects.filter(depth=1).first()
    for name, role in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in role["permissions"]:
            app_label, codename = dotted.split(".")
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:
                wanted.append(permission)
        group.permissions.set(wanted)
        if root is not None:
            for codename in ROOT_PAGE_PERMISSIONS.get(name, []):
                permission = Permission.objects.get(content_type__app_label="wagtailcore", codename=codename)
                GroupPagePermission.objects.get_or_create(group=group, page=root, permission=permission)


def sync_roles_migration(apps, schema_editor):
    """For RunPython: permissions are normally created after every migration has run, so create
    them now, then sync the roles. Apps ship a migration calling this when they add permissions."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps)
