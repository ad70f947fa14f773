from parentvoice.privacy.services.masking import shown_address


def test_coordinators_see_masked_officers_see_full(staff_login, db):
    from parentvoice.accounts import roles

    coordinator = staff_login(group=roles.FORUM_COORDINATORS)
    officer = staff_login(group=roles.CONSULTATION_OFFICERS, email="officer2@example.org")
    assert shown_address(coordinator, "+447700900123") != "+447700900123"
    assert "123" in shown_address(coordinator, "+447700900123")
    assert shown_address(coordinator, "erin@example.org") == "e•••@example.org"
    assert shown_address(officer, "+447700900123") == "+447700900123"
