"""A person's own answers beyond the diary: the weekly ONS4 check and the onboarding questions.

Both belong to the person alone, like their check-ins (export shows them, erasure removes
them). Only people with research consent count towards aggregates of them, and then only
through the release rules.
"""

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from ..extensions import db
from .types import UTCDateTime, utcnow

ONS4_ITEMS = ("life_satisfaction", "worthwhile", "happy", "anxious")


class Ons4Answer(db.Model):
    """The four ONS personal wellbeing answers (0 to 10) one person gave for one week."""

    __tablename__ = "ons4_answers"
    __table_args__ = (
        sa.UniqueConstraint("user_id", "week", name="uq_ons4_answers_user_week"),
        sa.CheckConstraint(
            " AND ".join(f"{item} BETWEEN 0 AND 10" for item in ONS4_ITEMS),
            name="ons4_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    # The ISO week (Europe/London) the answers belong to, named by its Monday.
    week: Mapped[date] = mapped_column(sa.Date)
    life_satisfaction: Mapped[int] = mapped_column(sa.SmallInteger)
    worthwhile: Mapped[int] = mapped_column(sa.SmallInteger)
    happy: Mapped[int] = mapped_column(sa.SmallInteger)
    anxious: Mapped[int] = mapped_column(sa.SmallInteger)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OnboardingAnswer(db.Model):
    """One time a person answered the optional onboarding questions.

    The first row is their baseline; later rows are answers given again from Settings (one
    row per day at most: answering twice in a day replaces that day's row). Every question
    may be left unanswered (NULL, or an empty list).
    """

    __tablename__ = "onboarding_answers"
    __table_args__ = (sa.Index("ix_onboarding_answers_user_answered", "user_id", "answered_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    answered_on: Mapped[date] = mapped_column(sa.Date)
    # A band code: under_6_months, 6_to_12_months, 1_to_2_years, 2_to_5_years, over_5_years.
    time_in_job: Mapped[str | None] = mapped_column(sa.String(32))
    # yes | no | not_sure
    career_conversation: Mapped[str | None] = mapped_column(sa.String(16))
    # yes | no | not_sure: knows of training or apprenticeships open to them
    knows_training: Mapped[str | None] = mapped_column(sa.String(16))
    # Which of: wellbeing_hub, staff_discounts, recovery_college, menopause_support
    knows_how_to_reach: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
    # Needs codes (taxonomy) the person would like to hear about
    would_like: Mapped[list[str]] = mapped_column(sa.JSON, default=list)
