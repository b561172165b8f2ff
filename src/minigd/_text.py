"""Every word minigd shows a user, in English and Korean side by side.

One table, so a translation is never scattered through the code. Keys are
stable identifiers; :func:`text` looks one up for a language.
"""

from __future__ import annotations

from typing import Any

from ._validation import check_option

__all__ = ["LANGUAGES", "TEXT", "check_lang", "text"]

LANGUAGES = ("en", "ko")

# key: (English, Korean)
TEXT: dict[str, tuple[str, str]] = {
    # column headings
    "count": ("count", "항목"),
    "value": ("value", "값"),
    "meaning": ("what it counts", "의미"),
    "method": ("method", "방법"),
    "label": ("schedule", "스케줄"),
    # counts of a Schedule
    "n_samples": ("samples (N)", "샘플 수 (N)"),
    "batch_size": ("batch size (B)", "배치 크기 (B)"),
    "epochs": ("epochs (E)", "에포크 수 (E)"),
    "epoch_convention": ("epoch definition", "에포크 정의"),
    "sampling": ("sampling", "샘플링"),
    "steps_per_epoch": ("steps per epoch", "에포크당 스텝"),
    "total_steps": ("total steps (updates)", "전체 스텝 (업데이트)"),
    "samples_per_epoch": ("samples per epoch", "에포크당 샘플"),
    "samples_seen": ("samples seen", "사용된 샘플 (누적)"),
    "iterations": ("iterations", "이터레이션"),
    "data_passes": ("passes over the data", "데이터 전체를 본 횟수"),
    "exposures": ("uses of each sample", "샘플 하나가 쓰인 횟수"),
    "last_batch": ("last batch of a pass", "패스의 마지막 배치"),
    "accumulate": (
        "accumulation (micro-batches per update)",
        "그래디언트 누적 (업데이트당 마이크로배치)",
    ),
    "world_size": ("replicas (world size)", "복제본 수 (world size)"),
    "effective_batch_size": ("effective batch size", "유효 배치 크기"),
    "micro_per_epoch": ("micro-batches per epoch, per replica", "복제본당 에포크당 마이크로배치"),
    "micro_total": ("micro-batches in the run, all replicas", "전체 마이크로배치 (모든 복제본)"),
    "max_steps": ("max_steps", "max_steps"),
    "m_accumulate": ("gradients averaged into one update", "한 업데이트로 평균하는 기울기 수"),
    "m_world_size": ("data-parallel copies of the model", "데이터 병렬 모델 복제본"),
    "m_effective": ("batch size x accumulation x replicas", "배치 크기 x 누적 x 복제본"),
    "m_micro_per_epoch": ("len(DataLoader) on one replica", "복제본 하나의 len(DataLoader)"),
    "m_micro_total": ("forward/backward passes", "순전파/역전파 횟수"),
    "m_max_steps": ("training stops after this many updates", "이 업데이트 수에서 학습 종료"),
    "never_used": ("samples never used (expected)", "한 번도 안 쓰인 샘플 (기댓값)"),
    # meanings
    "m_n_samples": ("rows of training data", "학습 데이터의 행 수"),
    "m_batch_size": ("samples per gradient", "기울기 한 번에 쓰는 샘플 수"),
    "m_epochs": ("outer loop count", "바깥 반복 횟수"),
    "m_steps_per_epoch": ("updates in one epoch", "한 에포크의 업데이트 수"),
    "m_total_steps": ("optimizer updates in the run", "전체 학습의 옵티마이저 업데이트 수"),
    "m_samples_per_epoch": (
        "per-sample gradients in one epoch",
        "한 에포크에서 계산한 샘플별 기울기 수",
    ),
    "m_samples_seen": (
        "per-sample gradients in the run",
        "전체 학습에서 계산한 샘플별 기울기 수",
    ),
    "m_iterations_step": (
        "counted as steps (TF 1.x global_step, Lightning, HF)",
        "스텝으로 셈 (TF 1.x global_step, Lightning, HF)",
    ),
    "m_iterations_epoch": (
        "counted as epochs (Keras log, scikit-learn max_iter)",
        "에포크로 셈 (Keras 로그, scikit-learn max_iter)",
    ),
    "m_data_passes": ("samples seen / N", "사용된 샘플 / N"),
    "m_last_batch": ("ragged when N is not a multiple of B", "N이 B의 배수가 아니면 작아짐"),
    # convention names
    "pass": ("pass (one pass over all samples)", "패스 (전체 샘플을 한 번 훑음)"),
    "draw": ("draw (one batch drawn at random)", "추출 (무작위 배치 하나)"),
    "shuffle": ("reshuffled every pass", "패스마다 섞음"),
    "sequential": ("fixed order", "고정 순서"),
    "replacement": ("drawn with replacement", "복원 추출"),
    "draw_shuffle": ("distinct samples drawn at random", "서로 다른 샘플을 무작위 추출"),
    "draw_sequential": ("next samples in a fixed cycle", "고정된 순서로 돌아가며"),
    "draw_replacement": ("drawn with replacement", "복원 추출"),
    "exactly": ("exactly {n}", "정확히 {n}"),
    "between": ("{lo} to {hi}", "{lo}~{hi}"),
    "on_average": ("{mean} on average", "평균 {mean}"),
    "varies": ("varies (mean {mean})", "에포크마다 다름 (평균 {mean})"),
    "dropped": ("dropped", "버림"),
    # the Q&A
    "qa_student": (
        "1. The student's table, recomputed under each epoch definition",
        "1. 학생의 표를 에포크 정의별로 다시 계산",
    ),
    "qa_instructor": (
        "2. The instructor's Keras example: 100 samples, batch 5, 30 epochs",
        "2. 강사의 Keras 예시: 샘플 100개, 배치 5, 에포크 30",
    ),
    "qa_academic": (
        "3. Academic (draw) vs framework (pass) definitions, 100 samples, 500 epochs",
        "3. 학술적 정의(추출)와 프레임워크 정의(패스), 샘플 100개, 에포크 500",
    ),
    "qa_followup": (
        "4. The follow-up's 50,000 steps: which batch size gives it?",
        "4. 후속 질문의 50,000 스텝: 어떤 배치 크기에서 나오는가?",
    ),
    "qa_second": (
        "5. The second question: how many times is each sample used?",
        "5. 두 번째 질문: 샘플 하나는 몇 번 쓰이는가?",
    ),
    "quantity": ("quantity", "항목"),
    "claimed": ("student's number", "학생의 숫자"),
    "under_draw": ("textbook (draw)", "교과서 (추출)"),
    "under_pass": ("framework (pass)", "프레임워크 (패스)"),
    "matches": ("matches", "일치"),
    "both": ("both", "둘 다"),
    "neither": ("neither", "둘 다 아님"),
    "mixed": (
        "MIXED: this row takes cells from both definitions",
        "혼합: 이 행은 두 정의를 섞어 씀",
    ),
    "consistent": ("consistent with {conv}", "{conv} 정의와 일치"),
    "consistent_both": ("consistent with both definitions", "두 정의 모두와 일치"),
    "law": ("distribution", "분포"),
    "cell_uses": ("each sample used", "샘플당 사용 횟수"),
    "cell_total": ("total training (samples)", "총 학습량 (샘플)"),
    "cell_iterations": ("iterations (steps)", "이터레이션 (스텝)"),
    "mb_theory": ("mini-batch, in theory", "미니배치 (이론)"),
    "mb_framework": ("mini-batch, as frameworks do it", "미니배치 (프레임워크)"),
    "claim": ("claimed", "주장"),
    "computed": ("computed", "계산값"),
    "batch_sizes_giving": ("batch sizes giving it", "그 값이 나오는 배치 크기"),
    "p_never": ("P(a sample is never used)", "한 번도 안 쓰일 확률"),
    "iter_as_epochs": ("iterations counted as epochs", "에포크로 센 이터레이션"),
    # the demo
    "final_loss": ("final loss (all samples)", "최종 손실 (전체 샘플)"),
    "wall_time": ("wall time (s)", "소요 시간 (초)"),
    "demo_title": (
        "Linear regression, {n} samples, {d} features, SGD lr={lr}, {epochs} epochs",
        "선형 회귀, 샘플 {n}개, 특성 {d}개, SGD 학습률={lr}, 에포크 {epochs}",
    ),
    # figures
    "batch_loss": ("batch loss", "배치 손실"),
    "train_loss": ("training loss (all samples)", "학습 손실 (전체 샘플)"),
    "axis_epoch": ("epochs", "에포크"),
    "axis_step": ("updates (steps)", "업데이트 (스텝)"),
    "axis_samples": ("per-sample gradients computed", "계산한 샘플별 기울기 수"),
    "axis_sample": ("sample", "샘플"),
    "measured": ("measured (2,000 draws)", "측정값 (2,000번 추출)"),
    "predicted": ("predicted: (N-B)/(N-1) x s^2/B", "예측값: (N-B)/(N-1) x s^2/B"),
    "gradient_spread": ("mean squared error of the batch gradient", "배치 기울기의 평균 제곱 오차"),
    # methods
    "GD": ("GD", "경사 하강법 (GD)"),
    "SGD": ("SGD", "확률적 경사 하강법 (SGD)"),
    "mini-batch": ("mini-batch", "미니배치"),
}


def check_lang(lang: Any, owner: str) -> str:
    """Validate a ``lang`` argument: one of :data:`LANGUAGES`."""
    return check_option(lang, "lang", owner, LANGUAGES)


def text(key: str, lang: str = "en", **fields: Any) -> str:
    """The words for ``key`` in ``lang``, with ``{fields}`` filled in.

    Examples
    --------
    >>> text("epochs", "ko")
    '에포크 수 (E)'
    >>> text("exactly", "en", n=500)
    'exactly 500'
    """
    en, ko = TEXT[key]
    words = ko if lang == "ko" else en
    return words.format(**fields) if fields else words
