"""Japanese messages of consent, applications and approval (chosen by standing and problem key here)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.access import Application, Standing, Status
from bot.core.policy import Policy
from bot.ui.common import version_ja

JST = ZoneInfo("Asia/Tokyo")

# ---- consent ------------------------------------------------------------------------------------
CONSENT_TITLE = "ご利用の前に：生成AIの利用ルール"
CONSENT_REVISED = "ガイドラインが改定されました。改めて内容を確認し、同意してください。"
CONSENT_LEAD = "利用を始める前に、次の内容を確認してください。"
CONSENT_DEPARTMENT = "所属（部・課・係）"
CONSENT_DEPARTMENT_PLACEHOLDER = "例：総務部 総務課"  # an example every city has, not the division
CONSENT_AGREE = "内容を確認し、同意する"
CONSENT_NOTE = "同意した日時・所属・ガイドラインの版は{division}が記録として保存します。"
DEPARTMENT_MISSING = "所属を入力してから「同意する」を押してください。"
DEPARTMENT_TOO_LONG = "所属は40文字以内で入力してください。"
CONSENT_CARD_SUMMARY = "ご利用の前に、次の利用ルールを確認して同意してください。"
CONSENT_ELSEWHERE = (
    "生成AIを使うには、最初にボットとの個人チャットで利用ルールを確認し、同意してください"
    "（Teams の「チャット」でこのボットを開くと案内が表示されます）。"
)
APPROVAL_ELSEWHERE = (
    "生成AIを使うには利用申請の承認が必要です。ボットとの個人チャットで「利用申請」と送ってください。"
)

# ---- application --------------------------------------------------------------------------------
APPLY_TITLE = "生成AIの利用申請"
APPLICATION_NOUN = "利用申請"  # what was not posted, in the admins' notice
CONSENT_RECORDED_TITLE = "同意を記録しました"
APPLICATION_RECEIVED_TITLE = "申請を受け付けました"
UNDER_REVIEW = "確認中です。"
APPLY_STAFF = "職員区分"
APPLY_PURPOSE = "利用目的（どの業務で、どのように使う予定か）"
APPLY_PURPOSE_PLACEHOLDER = "例：市民向けお知らせ文の素案作成、会議資料の要約"
APPLY_PURPOSE_NOTE = "個人情報や非公開情報は書かないでください。"
APPLY_SUBMIT = "申請する"
NO_APPLICATION_NEEDED = "利用申請は必要ありません。そのまま質問や依頼を入力してください。"
PROBLEMS = {
    "department_missing": "所属を入力してください。",
    "department_too_long": "所属は40文字以内で入力してください。",
    "staff_type_not_eligible": "職員区分を選んでください（対象：{eligible}）。",
    "purpose_missing": "利用目的を入力してください。",
    "purpose_too_long": "利用目的は400文字以内で入力してください。",
}

# ---- administrators -----------------------------------------------------------------------------
APPROVE = "承認する"
REJECT = "却下する"
REVOKE = "利用を停止する"
REASON_LABEL = "却下・利用停止の理由（申請者に伝わります）"
PREVIOUS_PAGE = "前の10件"
NEXT_PAGE = "次の10件"
REVOKE_SEARCH = "名前または所属を入力して検索"


def search_admin_only(policy: Policy) -> str:
    """The type-ahead search refused to a member of staff."""
    return f"職員の検索は管理者（{policy.municipality.division}）だけが行えます。"


def page_line(page: int, pages: int, size: int) -> str:
    """'1 / 3 ページ（10件ずつ表示）'."""
    return f"{page} / {pages} ページ（{size}件ずつ表示）"


REJECT_REASON_LABEL = "却下の理由（申請者に通知されます）"
REVOKE_REASON_LABEL = "利用停止の理由（対象の職員に通知されます）"
REASON_REQUIRED = "却下・利用停止の理由を200文字以内で入力してください（申請者に伝わります）。"
REASON_BLOCKED = "理由に個人情報や非公開情報が含まれているため、受け付けませんでした。書き直してください。"
UNKNOWN_APPLICATION = (
    "この申請は見つかりませんでした（取り下げられたか、新しい申請に置き換わっています）。"
    "操作は記録されました。"
)
TAMPERED = "カードの内容が申請の記録と一致しないため、操作を受け付けませんでした。操作は記録されました。"
NO_PENDING = "承認待ちの申請はありません。"
REVOKE_PICK = "利用を停止する職員を選び、理由を入力してください。"
REVOKE_NONE = "利用を停止できる職員がいません（承認済みの職員がいません）。"
REVOKE_NOT_FOUND = (
    "その職員の利用記録が見つかりませんでした。Entra のオブジェクトIDか表示名で指定してください。"
)
REVOKE_ALREADY = "この職員はすでに利用停止中です。"
STATUS_LABELS = {
    Status.PENDING: "承認待ち",
    Status.APPROVED: "承認済み",
    Status.REJECTED: "却下",
    Status.REVOKED: "利用停止",
}


def jst(when: datetime | None) -> str:
    """`2026年11月22日 18:41` in Japan time."""
    if when is None:
        return ""
    t = when.astimezone(JST)
    return f"{t.year}年{t.month}月{t.day}日 {t:%H:%M}"


def jst_date(when: datetime | None) -> str:
    """`11月22日` in Japan time."""
    if when is None:
        return ""
    t = when.astimezone(JST)
    return f"{t.month}月{t.day}日"


QUESTION_KEPT = (
    "同意の前に送られた質問は、10分間だけ暗号化して保管しています。同意すると、続けてその質問に回答します。"
)
QUESTION_FOLLOWS = "同意の前に送られた質問に、続けて回答します。"


def consent_recorded(policy: Policy, when: datetime) -> str:
    """Shown after agreeing, when no approval is needed."""
    return (
        f"同意を記録しました（{policy.guideline.title}（{version_ja(policy.guideline.version)}）、{jst(when)}）。"
        "質問や依頼をそのまま入力してください。ひな形は「テンプレート」、使い方は「ヘルプ」で確認できます。"
    )


def consent_recorded_apply(policy: Policy) -> str:
    """Shown after agreeing, when an application is still needed."""
    division = policy.municipality.division
    return f"同意を記録しました。続いて利用申請をしてください。{division}の承認後に利用できます。"


def apply_intro(policy: Policy) -> str:
    """Who may apply and when the decision comes."""
    staff = "・".join(policy.access.eligible_staff)
    return (
        f"対象：{staff}。{policy.municipality.division}が内容を確認し、申請の翌週までに承認します。"
        "結果はこの個人チャットでお知らせします。"
    )


def problems(policy: Policy, keys: list[str]) -> str:
    """The message for an incomplete or invalid application form."""
    eligible = "・".join(policy.access.eligible_staff)
    return "\n".join(PROBLEMS[key].format(eligible=eligible) for key in keys)


def purpose_blocked(labels: list[str]) -> str:
    """The application was refused because its purpose contains personal or non-disclosable information."""
    found = "、".join(dict.fromkeys(labels)) or "個人情報や非公開情報"
    return (
        f"利用目的に{found}が含まれているため、申請を受け付けませんでした。"
        "個人情報や非公開情報を除いて、もう一度入力してください（この内容は保存していません）。"
    )


def applied(policy: Policy) -> str:
    """Shown to the applicant once the application is stored."""
    return (
        f"利用申請を受け付けました。{policy.municipality.division}が確認し、翌週までに承認します。"
        "結果はこのチャットでお知らせします。"
    )


def status_message(policy: Policy, standing: Standing, application: Application | None) -> str:
    """Why model use is refused now, and what to do (申請中／承認されると…／却下理由…／利用停止中)."""
    division = policy.municipality.division
    if standing is Standing.PENDING and application is not None:
        return (
            f"利用申請は{jst_date(application.applied_at)}に受け付け済みで、{division}が確認中です。"
            "承認されると、このチャットでお知らせします（通常は申請の翌週までに承認されます）。"
            "承認されるまで、AIは利用できません。"
        )
    if standing is Standing.REJECTED and application is not None:
        return (
            f"利用申請は承認されませんでした（{jst_date(application.decided_at)}）。理由：{application.reason}\n\n"
            "内容を見直して、もう一度申請できます。「利用申請」と送ってください。"
        )
    if standing is Standing.REVOKED:
        reason = f"理由：{application.reason}\n\n" if application is not None and application.reason else ""
        return (
            f"現在、生成AIの利用は停止されています。{reason}"
            f"再開については{division}（{policy.municipality.contact}）にお問い合わせください。"
        )
    return f"生成AIを使うには、利用申請と{division}の承認が必要です。下のカードから申請してください。"


def already(policy: Policy, application: Application) -> str:
    """Shown when someone applies again while an application is pending or decided."""
    if application.status is Status.APPROVED:
        return "利用申請は承認済みです。そのまま質問や依頼を入力してください。"
    return status_message(policy, _standing_of(application.status), application)


def _standing_of(status: Status) -> Standing:
    return {
        Status.PENDING: Standing.PENDING,
        Status.APPROVED: Standing.ALLOWED,
        Status.REJECTED: Standing.REJECTED,
        Status.REVOKED: Standing.REVOKED,
    }[status]


def notice(policy: Policy, application: Application) -> str:
    """The message the applicant gets in their personal chat once decided."""
    division = policy.municipality.division
    if application.status is Status.APPROVED:
        return (
            "生成AIの利用申請が承認されました。今から利用できます。"
            "業務の範囲内で、ガイドラインを守ってご利用ください。"
            "使い方は「ヘルプ」、ひな形は「テンプレート」で確認できます。"
        )
    if application.status is Status.REJECTED:
        return (
            f"生成AIの利用申請は承認されませんでした。理由：{application.reason}\n\n"
            f"内容を見直して、もう一度申請できます（「利用申請」と送ってください）。ご不明な点は{division}へ。"
        )
    return (
        f"生成AIの利用を停止しました。理由：{application.reason}\n\n"
        f"ご不明な点は{division}にお問い合わせください。"
    )


def decided_line(application: Application) -> str:
    """`承認済み：情報 花子（2026年11月22日 18:41）`."""
    return f"{STATUS_LABELS[application.status]}：{application.decided_by}（{jst(application.decided_at)}）"


def decided_toast(application: Application) -> str:
    """Toast for the administrator who decided."""
    label = STATUS_LABELS[application.status]
    return f"{application.display_name}さんを「{label}」にしました（本人には個人チャットでお知らせします）。"


def pending_title(count: int) -> str:
    """Title of the pending list card."""
    return f"承認待ちの申請（{count}件）"


def waiting(application: Application, now: datetime) -> str:
    """`11月14日申請・8日経過`."""
    return f"{jst_date(application.applied_at)}申請・{application.waiting_days(now)}日経過"


def digest_title(count: int, target_days: int) -> str:
    """Title of the weekly digest card."""
    return f"承認の目安（{target_days}日）を過ぎた申請が{count}件あります"
