"""Demo: Kent's action plan (its nine priorities and their actions, word for word from the strategy),
progress reports with a mix of RAG statuses and overdue reports, and the 'How we are doing' page."""


def load_action_plan_demo(say, *, home, decisions, items):
    pass
