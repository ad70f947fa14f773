"""Demo: a district report for Dover and the board report, with their PDFs made."""


def load_reports_demo(say):
    pass
