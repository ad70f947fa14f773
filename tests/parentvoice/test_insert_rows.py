"""parentvoice.insert_rows: the rows it writes are the rows bulk_create would write, on SQLite and
PostgreSQL alike."""

# The fixture imported below is used as an argument, which ruff reads as a redefinition.
# ruff: noqa: F811

import math

import pytest
from django.apps.registry import Apps
from django.db import NotSupportedError, connection, models
from django.db.models import Value
from django.test.utils import CaptureQueriesContext

from messaging.models import HeldFollowRequest
from parentvoice.insert_rows import insert_rows
from parentvoice.models import District
from surveys.models import Answer, Response
from tests.surveys.conftest import make_consultation  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

# Every Answer column but the keys, in the model's order, for comparing rows.
ANSWER_COLUMNS = [
    field.attname for field in Answer._meta.concrete_fields if field.attname not in {"id", "response_id"}
]


@pytest.fixture
def two_responses(make_consultation):
    consultation = make_consultation()
    return [Response.objects.create(consultation=consultation, channel="web") for _ in range(2)]


def _answers(response):
    return list(response.answers.order_by("question_id", "choice_key").values_list(*ANSWER_COLUMNS))


def test_the_rows_are_those_bulk_create_writes_defaults_included(two_responses):
    by_orm, by_sql = two_responses
    district = District.objects.create(name="Dover", slug="dover", ons_code="E07000108")
    rows = [
        {"question_id": "q1", "choice_key": "yes", "district_id": district.pk, "parent_role": "father"},
        {
            "question_id": "q2",
            "text": "Evening groups, please \u2014 \u00e9t\u00e9 \U0001f600",
            "number": None,
        },
        {"question_id": "q3", "number": 9_000_000_000, "language": "pl"},  # past 32 bits
    ]
    common = {"consultation_id": by_orm.consultation_id, "channel": "paper"}
    Answer.objects.bulk_create(Answer(response=by_orm, **common, **row) for row in rows)
    returned = insert_rows(Answer, [{"response_id": by_sql.pk, **common, **row} for row in rows])

    assert _answers(by_sql) == _answers(by_orm)
    assert sorted(pk for (pk,) in returned) == sorted(by_sql.answers.values_list("pk", flat=True))
    assert by_sql.answers.get(question_id="q1").language == "en-gb"  # the field's default


def test_it_returns_the_columns_asked_for_row_by_row(two_responses):
    response = two_responses[0]
    texts = [f"Answer number {n}" for n in range(5)]
    returned = insert_rows(
        Answer,
        [
            {
                "response_id": response.pk,
                "consultation_id": response.consultation_id,
                "question_id": "q",
                "text": text,
            }
            for text in texts
        ],
        returning=("pk", "text"),
    )
    assert dict(returned) == dict(response.answers.values_list("pk", "text"))
    assert sorted(dict(returned).values()) == texts


def test_a_callable_default_is_called_for_each_row(db):
    ids = insert_rows(
        HeldFollowRequest,
        [
            {"topic": "consultation:1", "title": "Support", "channel": "email", "route": "web"}
            for _ in range(3)
        ],
    )
    assert len(ids) == 3
    assert HeldFollowRequest.objects.count() == 3
    assert len(set(HeldFollowRequest.objects.values_list("pk", flat=True))) == 3


def test_more_rows_than_one_statement_takes_are_sent_in_batches(two_responses):
    response = two_responses[0]
    rows = [
        {"response_id": response.pk, "consultation_id": response.consultation_id, "question_id": f"q{n}"}
        for n in range(500)
    ]
    fields = [field for field in Answer._meta.concrete_fields if not field.primary_key]
    # As bulk_create batches: 83 rows a statement on SQLite (999 parameters), all at once on PostgreSQL.
    batches = math.ceil(len(rows) / connection.ops.bulk_batch_size(fields, rows))
    with CaptureQueriesContext(connection) as queries:
        returned = insert_rows(Answer, rows)
    assert len([query for query in queries if query["sql"].startswith("INSERT")]) == batches
    assert len({pk for (pk,) in returned}) == 500
    assert response.answers.count() == 500


def test_a_misspelt_or_related_name_is_refused_before_anything_is_written(two_responses):
    response = two_responses[0]
    with pytest.raises(ValueError, match="response"):
        insert_rows(Answer, [{"response": response, "consultation_id": response.consultation_id}])
    with pytest.raises(ValueError, match="questionid"):
        insert_rows(Answer, [{"response_id": response.pk, "questionid": "q"}])
    assert not Answer.objects.exists()


def test_nothing_to_insert_is_no_statement(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(Answer, []) == []


def test_models_whose_fields_are_set_on_save_are_refused(db):
    from messaging.models import Contact

    with pytest.raises(NotSupportedError, match="set on save"):
        insert_rows(Contact, [{}])  # its updated_at is auto_now


@pytest.mark.parametrize(
    "field",
    [
        models.IntegerField(db_default=Value(1)),
        models.GeneratedField(expression=Value(1), output_field=models.IntegerField(), db_persist=True),
    ],
    ids=["db_default", "generated"],
)
def test_models_with_a_field_the_database_fills_are_refused(field):
    class Filled(models.Model):
        name = models.CharField(max_length=10)
        filled = field

        class Meta:
            app_label = "parentvoice"
            apps = Apps()  # a registry of its own, left empty: no app is made ready again

        def __str__(self):
            return self.name

    with pytest.raises(NotSupportedError, match="the database fills"):
        insert_rows(Filled, [{"name": "x"}])
