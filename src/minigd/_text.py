"""Every word minigd shows a user, in English and Korean side by side.

One table, so a translation is never scattered through the code. Keys are
stable identifiers; :func:`text` looks one up for a language.
"""

from __future__ import annotations

import re
import string
from typing import Any

from ._validation import check_option

__all__ = ["LANGUAGES", "TEXT", "check_lang", "counted", "law_text", "name", "text"]

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
    "samples_seen": ("samples seen", "학습에 쓴 샘플 수 (중복 포함)"),
    "iterations": ("iterations", "이터레이션"),
    "data_passes": ("passes over the data", "데이터 전체를 훑은 횟수"),
    "exposures": ("uses of each sample", "샘플 하나가 쓰인 횟수"),
    "last_batch": ("last batch of a pass", "한 바퀴의 마지막 배치"),
    "accumulate": (
        "accumulation (micro-batches per update)",
        "기울기 누적 (업데이트당 마이크로배치 수)",
    ),
    "world_size": ("replicas (world size)", "복제본 수 (world size)"),
    "sharding": ("sharding (rows to replicas)", "샤딩 (복제본에 행 나누기)"),
    "name_pad": ("pad", "채우기"),
    "name_drop": ("drop", "남는 행 버리기"),
    "name_batches": ("batches", "배치 단위로 나누기"),
    "m_sharding_pad": (
        "{rows:~row} per replica, ceil(N/r): the first rows repeated to fill",
        "복제본마다 {rows:,}행, ceil(N/r): 모자라면 처음 행들을 되풀이",
    ),
    "m_sharding_drop": (
        "{rows:~row} per replica, floor(N/r): the tail cut",
        "복제본마다 {rows:,}행, floor(N/r): 나누고 남는 끝 행은 버림",
    ),
    "m_sharding_batches": (
        "{rows:~row} per replica: whole batches of B dealt in turn",
        "복제본마다 {rows:,}행: B개짜리 배치를 통째로 돌아가며 줌",
    ),
    "m_sharding_draw": (
        "no effect: each replica draws its own batch",
        "영향 없음: 복제본마다 배치를 따로 뽑음",
    ),
    "effective_batch_size": ("effective batch size", "유효 배치 크기"),
    "micro_per_epoch": (
        "micro-batches per epoch, per replica",
        "복제본 하나의 에포크당 마이크로배치 수",
    ),
    "micro_total": ("micro-batches in the run, all replicas", "전체 마이크로배치 수 (모든 복제본)"),
    "max_steps": ("max_steps", "max_steps"),
    "m_accumulate": ("gradients averaged into one update", "업데이트 한 번에 평균하는 기울기 수"),
    "m_world_size": ("data-parallel copies of the model", "데이터 병렬로 돌리는 모델 복제본 수"),
    "m_effective": ("batch size x accumulation x replicas", "배치 크기 x 누적 x 복제본"),
    "m_micro_per_epoch": ("len(DataLoader) on one replica", "복제본 하나의 len(DataLoader)"),
    "m_micro_total": ("forward/backward passes", "순전파/역전파 횟수"),
    "m_max_steps": (
        "training stops after this many updates",
        "업데이트가 이 횟수에 이르면 학습을 멈춤",
    ),
    "never_used": ("samples never used (expected)", "한 번도 쓰이지 않는 샘플 수 (기댓값)"),
    "m_never_used": ("p = {p}", "샘플 하나가 한 번도 쓰이지 않을 확률 {p}"),
    # meanings
    "m_n_samples": ("rows of training data", "학습 데이터의 행 수"),
    "m_batch_size": ("samples per gradient", "기울기 한 번에 쓰는 샘플 수"),
    "m_epochs": ("outer loop count", "바깥쪽 반복문이 도는 횟수"),
    "m_steps_per_epoch": ("updates in one epoch", "한 에포크의 업데이트 수"),
    "m_total_steps": ("optimizer updates in the run", "학습 전체의 옵티마이저 업데이트 수"),
    "m_samples_per_epoch": (
        "per-sample gradients in one epoch",
        "한 에포크에서 계산한 샘플별 기울기 수",
    ),
    "m_samples_seen": (
        "per-sample gradients in the run",
        "학습 전체에서 계산한 샘플별 기울기 수",
    ),
    "m_iterations_step": (
        "counted as steps (TF 1.x global_step, Lightning, HF)",
        "스텝 단위로 셈 (TF 1.x global_step, Lightning, HF)",
    ),
    "m_iterations_epoch": (
        "counted as epochs (Keras log, scikit-learn max_iter)",
        "에포크 단위로 셈 (Keras 로그, scikit-learn max_iter)",
    ),
    "m_data_passes": ("samples seen / N", "학습에 쓴 샘플 수 / N"),
    "m_last_batch": ("ragged when N is not a multiple of B", "N이 B의 배수가 아니면 더 작음"),
    # convention names: one name per language (the answer's word for the
    # one-batch epoch is 원론적, "by the original definition")
    "pass": (
        "framework definition: one pass over all samples",
        "전체 샘플을 한 번씩 훑음 (한 바퀴)",
    ),
    "draw": (
        "original definition: one batch, one update",
        "배치 하나로 업데이트 한 번",
    ),
    "name_pass": ("framework definition", "프레임워크 정의"),
    "name_draw": ("original definition", "원론적 정의"),
    "shuffle": ("reshuffled every pass", "바퀴마다 새로 섞음"),
    "sequential": (
        "the same order (0, 1, 2, ...) every pass",
        "바퀴마다 같은 순서(0, 1, 2, ...)로 훑음",
    ),
    "replacement": (
        "N draws per pass; a sample can be drawn again",
        "한 바퀴에 N번 뽑고, 같은 샘플이 여러 번 뽑힐 수 있음",
    ),
    "name_shuffle": ("shuffle", "섞기"),
    "name_sequential": ("sequential", "고정 순서"),
    "name_replacement": ("replacement", "복원 추출"),
    "draw_shuffle": ("distinct samples drawn at random", "서로 다른 샘플을 무작위로 뽑음"),
    "draw_sequential": (
        "next samples in a fixed cycle",
        "다음 B개를 차례로 뽑음 (끝나면 처음부터)",
    ),
    "draw_replacement": (
        "B draws; a sample can be drawn again",
        "B번 뽑고, 같은 샘플이 여러 번 뽑힐 수 있음",
    ),
    "exactly": ("exactly {n}", "정확히 {n}번"),
    "between": ("{lo} to {hi}", "{lo}~{hi}번"),
    "on_average": ("{mean} on average", "평균 {mean}번"),
    "varies": ("varies (mean {mean})", "에포크마다 다름 (평균 {mean})"),
    "dropped": ("dropped", "버림"),
    # laws of a sample's use count
    "law_binomial": ("Binomial(n={n}, p={p})", "이항분포 B({n}, {p})"),
    "law_bernoulli": ("Bernoulli(p={p})", "베르누이 분포({p})"),
    "law_passes": (
        "sum of {k} passes of {counts} (uses: samples)",
        "{k}바퀴의 합, 한 바퀴에 {counts} (쓰인 횟수: 샘플 수)",
    ),
    # the Q&A
    "qa_student": (
        "1. The student's table, recomputed under each definition of an epoch",
        "1. 학생의 표를 에포크의 두 정의로 다시 계산",
    ),
    "qa_first": (
        "1a. The first question: under one definition, is each sample's share equal?",
        "1a. 첫 번째 질문: 한 정의로만 세면 샘플마다 학습되는 비중이 같은가?",
    ),
    "qa_instructor": (
        "2. The instructor's Keras example: 100 samples, batch 5, 30 epochs",
        "2. 강사의 Keras 예시: 샘플 100개, 배치 크기 5, 에포크 30번",
    ),
    "qa_academic": (
        "3. Original (draw) vs framework (pass) definitions, 100 samples, 500 epochs",
        "3. 원론적 정의와 프레임워크 정의, 샘플 100개, 에포크 500번",
    ),
    "qa_followup": (
        "4. The follow-up's 50,000: two ways to get it",
        "4. 후속 질문의 50,000: 이 숫자가 나오는 두 가지 경우",
    ),
    "qa_budget": (
        "5. The second question: which budget is held fixed?",
        "5. 두 번째 질문: 무엇을 같게 두고 비교하는가?",
    ),
    "qa_second": (
        "5a. How many times is each sample used?",
        "5a. 샘플 하나는 몇 번 쓰이는가?",
    ),
    "quantity": ("quantity", "항목"),
    "claimed": ("student's number", "학생이 쓴 값"),
    "under_draw": ("original definition", "원론적 정의"),
    "under_pass": ("framework definition", "프레임워크 정의"),
    "matches": ("matches", "맞는 정의"),
    "both": ("both", "둘 다"),
    "neither": ("neither", "둘 다 아님"),
    "mixed": (
        "MIXED: this row takes cells from both definitions",
        "섞임: 이 행에는 두 정의의 값이 함께 들어 있습니다",
    ),
    "consistent": ("consistent with the {conv}", "{conv}와 맞습니다"),
    "consistent_both": ("consistent with both definitions", "두 정의 모두와 맞습니다"),
    "iterations_per_epoch_note": (
        "the question defines an iteration as the updates in one epoch ({per_epoch}), "
        "but the table writes totals over {epochs} epochs",
        "질문에서는 이터레이션을 한 에포크 안의 업데이트 횟수"
        "(GD, SGD, 미니배치 순서로 {per_epoch})로 정의했지만, "
        "표에는 에포크 {epochs}번 동안의 합계를 적었습니다",
    ),
    "law": ("distribution", "분포"),
    "cell_uses": ("uses of each sample", "샘플 하나가 쓰인 횟수"),
    "cell_total": ("total training (samples)", "총 학습량 (샘플 수)"),
    "cell_iterations": ("iterations (steps)", "이터레이션 (스텝)"),
    "iterations_x_batch": ("iterations x batch size", "이터레이션 x 배치 크기"),
    "shares": ("each sample's share", "샘플마다 학습되는 비중"),
    "shares_equal": ("equal: {uses} uses each", "모든 샘플이 {uses}번씩 쓰여 비중이 같음"),
    "shares_differ": ("differs by method", "샘플이 쓰인 횟수가 방법마다 달라 비중도 다름"),
    "first_answer": (
        "under one definition, iterations x batch size = uses of each sample x {n}: "
        "an equal product means equal shares",
        "한 정의로만 세면 이터레이션 x 배치 크기 = 샘플 하나가 쓰인 횟수 x {n}이므로, "
        "곱이 같으면 샘플마다 학습되는 비중도 같습니다",
    ),
    "mb_theory": ("mini-batch, in theory", "미니배치 (이론)"),
    "mb_framework": ("mini-batch, as frameworks do it", "미니배치 (프레임워크)"),
    "reading": ("reading", "해석"),
    "claim": ("claimed", "질문에 나온 값"),
    "computed": ("computed", "계산한 값"),
    "reading_steps": ("steps at batch size {b}", "배치 크기 {b}일 때 스텝 수"),
    "reading_samples": (
        "per-sample gradients at batch size {b} (100 x 500)",
        "배치 크기 {b}일 때 샘플별 기울기 수 (100 x 500)",
    ),
    "batch_sizes_giving": ("batch sizes giving it", "그 값이 나오는 배치 크기"),
    "followup_steps_note": (
        "as steps: {claimed} steps over {n} samples and {epochs} epochs need batch size {sizes}",
        "스텝 수로 읽으면: 샘플 {n}개, 에포크 {epochs}번에서 {claimed}스텝이 나오는 "
        "배치 크기는 {sizes}뿐입니다",
    ),
    "followup_samples_note": (
        "as per-sample gradients (the question's own 'total training'): {n} x {epochs} = "
        "{claimed} at any batch size under the framework definition",
        "샘플별 기울기 수로 읽으면 (질문의 '총 학습'과 같은 단위): 프레임워크 정의에서는 "
        "배치 크기와 상관없이 {n} x {epochs} = {claimed}입니다",
    ),
    "none": ("none", "없음"),
    "p_never": ("P(a sample is never used)", "샘플 하나가 한 번도 안 쓰일 확률"),
    "p_all_used": ("P(every sample is used)", "모든 샘플이 한 번 이상 쓰일 확률"),
    "iter_as_epochs": ("iterations counted as epochs", "에포크로 센 이터레이션"),
    "keras_iterations": (
        "Keras model.optimizer.iterations",
        "Keras의 model.optimizer.iterations",
    ),
    "m_keras_iterations": (
        "Keras's counter: batches (updates), not epochs",
        "Keras의 카운터: 에포크가 아니라 배치(업데이트)를 셈",
    ),
    "budget": ("held fixed", "같게 둔 것"),
    "budget_passes": ("{epochs} passes over the data", "데이터 {epochs}바퀴"),
    "budget_updates": ("{updates} updates", "업데이트 {updates}번"),
    "updates": ("updates", "업데이트 수"),
    "budget_note_passes": (
        "same passes: every method uses each sample {epochs} times; SGD makes N/B = {ratio} "
        "times as many updates as GD, each from one sample (noisier)",
        "바퀴 수가 같으면 모든 방법이 샘플 하나를 {epochs}번씩 씁니다. SGD는 GD보다 "
        "N/B = {ratio}배 많이 업데이트하고, 업데이트 하나는 샘플 하나만 보므로 잡음이 더 큽니다",
    ),
    "budget_note_updates": (
        "same updates: SGD sees B/N = 1/{ratio} of the data GD sees",
        "업데이트 수가 같으면 SGD가 보는 데이터는 GD의 B/N = {ratio}분의 1입니다",
    ),
    "unused_expected": ("samples never used (expected)", "한 번도 쓰이지 않는 샘플 수 (기댓값)"),
    # framework reasons (FrameworkError.code -> words)
    "fw_cannot": (
        "{framework} cannot run this schedule exactly: {reason}",
        "{framework}에서는 이 스케줄을 정확히 실행할 수 없습니다: {reason}",
    ),
    "fw_from_arguments": (
        "no Schedule states what {framework} runs with these arguments: {reason}",
        "이 인자로 {framework}에서 실행되는 학습을 나타내는 Schedule은 없습니다: {reason}",
    ),
    "fw_draw_epochs": (
        "its epochs are passes over the data; the original definition's "
        "'draw' epochs (one random batch per epoch) have no counterpart",
        "이 프레임워크의 에포크는 데이터를 한 바퀴 도는 것이라, 원론적 정의의 에포크"
        "(에포크마다 무작위 배치 하나)에 해당하는 것이 없습니다",
    ),
    "fw_pytorch_draw": (
        "a draw epoch maps to RandomSampler(num_samples=batch_size), which has no "
        "fixed order, accumulation or replicas",
        "원론적 정의의 에포크는 RandomSampler(num_samples=batch_size)로 옮길 수 있지만, "
        "이때는 고정 순서도, 기울기 누적도, 복제본도 쓸 수 없습니다",
    ),
    "fw_cap": (
        "steps_per_epoch continues the stream of batches into the next epoch; {why}",
        "steps_per_epoch를 쓰면 배치가 다음 에포크로 이어지는데, {why}",
    ),
    "fw_why_max_iter": (
        "max_iter counts whole passes",
        "max_iter는 데이터를 다 돈 바퀴 수를 셉니다",
    ),
    "fw_why_lightning": (
        "limit_train_batches restarts every epoch",
        "limit_train_batches는 에포크마다 처음부터 다시 시작합니다",
    ),
    "fw_why_huggingface": (
        "its epochs restart the dataloader",
        "에포크마다 데이터로더를 처음부터 다시 시작합니다",
    ),
    "fw_why_tf1": (
        "train(steps=...) stops the run, it does not shape epochs",
        "train(steps=...)은 학습을 멈출 뿐 에포크의 길이를 정하지 않습니다",
    ),
    "fw_flushes": (
        "it flushes the last partial accumulation group of every epoch "
        "(use accumulate_across_epochs=False)",
        "이 프레임워크는 에포크가 끝날 때마다 다 차지 않은 누적 묶음으로도 업데이트합니다 "
        "(accumulate_across_epochs=False를 쓰세요)",
    ),
    "fw_carries": (
        "its accumulation carries over epoch boundaries (use accumulate_across_epochs=True)",
        "이 프레임워크의 기울기 누적은 에포크 경계를 넘어 이어집니다 "
        "(accumulate_across_epochs=True를 쓰세요)",
    ),
    "fw_keras_replicas": (
        "Keras fit has no data-parallel world size",
        "Keras의 fit에는 데이터 병렬 복제본 수를 정하는 인자가 없습니다",
    ),
    "fw_keras_max_steps": ("Keras fit has no max_steps", "Keras의 fit에는 max_steps가 없습니다"),
    "fw_keras_replacement": (
        "Keras fit shuffles without replacement",
        "Keras의 fit은 비복원으로만 섞습니다",
    ),
    "fw_keras_drop_last": (
        "Keras never drops the last batch of arrays",
        "Keras는 배열 데이터의 마지막 배치를 버리지 않습니다",
    ),
    "fw_sgd_batch": (
        "SGDRegressor updates after every sample (batch size 1); for batch_size={b} use "
        "MLPRegressor(hidden_layer_sizes=(), batch_size={b}) ('sklearn-mlp')",
        "SGDRegressor는 샘플 하나마다 업데이트합니다 (배치 크기 1). 배치 크기가 {b}일 때는 "
        "MLPRegressor(hidden_layer_sizes=(), batch_size={b})('sklearn-mlp')를 쓰세요",
    ),
    "fw_no_accumulation": (
        "it has no accumulation or replicas",
        "기울기 누적도 복제본도 지원하지 않습니다",
    ),
    "fw_no_replacement": ("it shuffles without replacement", "비복원으로만 섞습니다"),
    "fw_sampler_no_replacement": (
        "its sampler draws without replacement",
        "샘플러가 비복원으로만 뽑습니다",
    ),
    "fw_tf1_no_replacement": (
        "Dataset.shuffle draws without replacement",
        "Dataset.shuffle은 비복원으로만 뽑습니다",
    ),
    "fw_mlp_drop_last": ("it never drops the last batch", "마지막 배치를 버리지 않습니다"),
    "fw_max_iter": ("max_iter counts whole passes", "max_iter는 데이터를 다 돈 바퀴 수를 셉니다"),
    "fw_tf1_accumulation": (
        "global_step has no accumulation or replicas here",
        "여기서 global_step은 기울기 누적도 복제본도 고려하지 않습니다",
    ),
    "fw_optax_replicas": ("optax itself has no replicas", "optax 자체에는 복제본이 없습니다"),
    "fw_keras_one_shot": (
        "a one-shot generator cannot restart: Keras keeps the first 2 batches it read to "
        "learn their shapes and, once the generator is exhausted, trains on those 2 in every "
        "later epoch; pass a PyDataset (data='finite') or a generator that never stops "
        "with steps_per_epoch (data='endless')",
        "한 번 쓰고 끝나는 제너레이터는 다시 시작할 수 없습니다. Keras는 모양을 알아내려고 "
        "처음 읽은 배치 2개를 간직해 두었다가, 제너레이터가 바닥나면 그 뒤 에포크마다 그 2개로만 "
        "학습합니다. PyDataset(data='finite')이나, 끝없이 도는 제너레이터와 steps_per_epoch"
        "(data='endless')를 쓰세요",
    ),
    "fw_keras_cut_short": (
        "with finite data (arrays, a PyDataset) Keras ends an epoch where a pass over the "
        "{nb:~batch} ends, so {short:~epoch} {short:~stops/stop} after {cut:~update}, not "
        "steps_per_epoch={cap}; use a steps_per_epoch that divides {nb}, or an input that "
        "never runs out (data='endless')",
        "데이터가 유한하면(배열, PyDataset) Keras는 배치 {nb:,}개를 한 바퀴 다 돈 곳에서 에포크를 "
        "끝내므로, 에포크 {short:,}개가 steps_per_epoch={cap}이 아니라 {cut:,}번만 업데이트합니다. "
        "{nb}의 약수인 steps_per_epoch를 쓰거나, 끝나지 않는 입력(data='endless')을 쓰세요",
    ),
    "fw_keras_runs_short": (
        "on finite data (arrays, a PyDataset) Keras ends an epoch early where a pass over "
        "the {nb} batches ends, so it stops {short} of the {epochs} epoch(s) after {cut} "
        "updates, fewer than steps_per_epoch={cap}; a Schedule runs steps_per_epoch updates "
        "in every epoch, so minigd builds none for these arguments (it builds one for a "
        "steps_per_epoch that divides {nb}, or for data='endless', an input that never "
        "runs out)",
        "데이터가 유한하면(배열, PyDataset) Keras는 배치 {nb}개를 한 바퀴 다 돈 곳에서 에포크를 "
        "일찍 끝내므로, 에포크 {epochs}개 중 {short}개가 steps_per_epoch={cap}보다 적은 {cut}번만 "
        "업데이트하고 끝납니다. Schedule은 에포크마다 steps_per_epoch번 업데이트하므로 minigd는 "
        "이 인자로 Schedule을 만들지 않습니다({nb}의 약수인 steps_per_epoch나, 끝나지 않는 "
        "입력을 뜻하는 data='endless'라면 만듭니다)",
    ),
    "fw_keras_endless_steps": (
        "with an input that never runs out, fit needs steps_per_epoch (otherwise the first "
        "epoch never ends)",
        "끝나지 않는 입력으로 학습하려면 fit에 steps_per_epoch가 있어야 합니다 "
        "(없으면 첫 에포크가 끝나지 않습니다)",
    ),
    "fw_pytorch_num_samples": (
        "RandomSampler(num_samples={k}) with batch_size={b} makes a short last batch; an "
        "epoch of drawn batches needs num_samples a multiple of batch_size",
        "batch_size={b}에 RandomSampler(num_samples={k})를 쓰면 마지막 배치가 짧아집니다. "
        "무작위로 뽑은 배치로 에포크를 이루려면 num_samples가 batch_size의 배수여야 합니다",
    ),
    "fw_sharding": (
        "{why}: batches per process and epoch, {theirs} there and {ours} in the schedule "
        "(it runs sharding={sharding!r})",
        "{why}. 그래서 프로세스당 에포크당 배치가 {theirs}개로, 이 스케줄의 {ours}개와 다릅니다 "
        "(이 프레임워크가 실행하는 것은 sharding={sharding!r}입니다)",
    ),
    "fw_why_shard_lightning": (
        "Lightning injects DistributedSampler(dataset, num_replicas, rank), which pads "
        "the shards, and keeps your DataLoader's drop_last (your own "
        "DistributedSampler(drop_last=True) cuts them instead); it never deals whole batches",
        "Lightning은 DistributedSampler(dataset, num_replicas, rank)를 끼워 넣어 샤드의 "
        "크기를 행을 덧붙여 맞추고, DataLoader의 drop_last는 그대로 둡니다 (직접 넣은 "
        "DistributedSampler(drop_last=True)라면 꼬리를 잘라 맞춥니다). 배치를 통째로 "
        "나눠 주지는 않습니다",
    ),
    "fw_why_shard_huggingface": (
        "the Trainer (accelerate's BatchSamplerShard) deals whole batches to the processes "
        "in turn, completing the last round with the first rows, or dropping it with "
        "dataloader_drop_last",
        "Trainer(accelerate의 BatchSamplerShard)는 배치를 통째로 프로세스에 차례로 나눠 "
        "주고, 마지막 차례는 처음 행들로 채우거나 dataloader_drop_last일 때 버립니다",
    ),
    # framework notes (remarks that go with the counters)
    "note_ranks": (
        "per process: DistributedSampler gives each of the {r} ranks {n:~batch} per epoch",
        "DistributedSampler가 랭크 {r}개에 에포크마다 배치를 {n:,}개씩 나눠 주므로, "
        "이 값은 프로세스 하나 기준입니다",
    ),
    "note_ranks_batches": (
        "per process: accelerate deals each of the {r} ranks {n:~whole batch} per epoch",
        "accelerate가 랭크 {r}개에 에포크마다 배치를 통째로 {n:,}개씩 나눠 주므로, "
        "이 값은 프로세스 하나 기준입니다",
    ),
    "note_shard_rows": (
        "{why}; the counts are the schedule's, but a pass uses {theirs} rows on all "
        "processes where the schedule uses {ours} (sharding={sharding!r} is the run it makes)",
        "{why}. 개수는 이 스케줄과 같지만, 한 바퀴에 모든 프로세스가 쓰는 행은 스케줄의 "
        "{ours}개가 아니라 {theirs}개입니다 (실제로 실행되는 것은 sharding={sharding!r}입니다)",
    ),
    "note_unapplied": (
        "{k:~micro-batch} at the end {k:~is/are} never applied",
        "마지막 마이크로배치 {k:,}개는 업데이트에 반영되지 않습니다",
    ),
    "note_keras_cap": (
        "Keras cuts an epoch short when a pass runs out of data; minigd runs {cap:~step} "
        "every epoch ({total:,} in all)",
        "Keras는 데이터를 한 바퀴 다 돌면 에포크를 일찍 끝냅니다. minigd는 에포크마다 "
        "{cap:,}스텝을 모두 밟습니다 (모두 {total:,}스텝)",
    ),
    "note_keras_raw": (
        "learning-rate schedules see the raw batch counter, not updates",
        "학습률 스케줄은 업데이트 횟수가 아니라 배치 카운터를 그대로 받습니다",
    ),
    "note_sgd_tol": (
        "with tol=None (otherwise it may stop early); t_ is a float",
        "tol=None으로 학습할 때의 값입니다 (아니면 일찍 멈출 수 있습니다). "
        "t_의 자료형은 float입니다",
    ),
    "note_mlp": (
        "solver 'sgd' or 'adam' with n_iter_no_change >= max_iter (no early stop); "
        "updates is Adam's _optimizer.t",
        "solver가 'sgd'나 'adam'이고 n_iter_no_change >= max_iter일 때의 값입니다 "
        "(일찍 멈추지 않음). updates는 Adam의 _optimizer.t입니다",
    ),
    "note_tf1": (
        "global_step matches ds.batch(B).repeat(E); ds.repeat(E).batch(B) lets batches "
        "straddle epochs",
        "global_step은 ds.batch(B).repeat(E)일 때의 값입니다. ds.repeat(E).batch(B)에서는 "
        "배치가 에포크 경계에 걸칠 수 있습니다",
    ),
    "cannot": ("cannot", "불가"),
    "cannot_below": ("cannot run it (below)", "실행 불가 (아래 참고)"),
    "fw_report_title": ("What each framework will report", "프레임워크마다 보고할 값"),
    "framework": ("framework", "프레임워크"),
    "counter": ("counter", "카운터"),
    "runs": ("{source} runs: {schedule}", "{source}에서 실행되는 스케줄: {schedule}"),
    "schedule_line": (
        "{call}: {per_epoch}, {total:~step}, {seen:~sample} seen",
        "{call}: {per_epoch}, 모두 {total}스텝, 학습에 쓴 샘플 {seen}개",
    ),
    "per_epoch_steps": ("{n:~step} per epoch", "에포크당 {n}스텝"),
    "per_epoch_varying": ("varying steps per epoch", "에포크마다 스텝 수가 다름"),
    # the demo
    "final_loss": ("final loss (all samples)", "최종 손실 (전체 샘플)"),
    "wall_time": ("wall time (s)", "소요 시간 (초)"),
    "demo_title": (
        "Linear regression, {n:~sample}, {d:~feature}, SGD lr={lr}, {epochs:~epoch}",
        "선형 회귀, 샘플 {n}개, 특성 {d}개, SGD 학습률 {lr}, 에포크 {epochs:,}번",
    ),
    "demo_notice": ("What to notice:", "눈여겨볼 점:"),
    "demo_notice_epochs": (
        "- per epoch, the framework definition's SGD makes {n} updates and GD one, so against "
        "epochs SGD's loss falls fastest; the original definition makes one update per epoch for "
        "every method",
        "- 프레임워크 정의에서 SGD는 에포크마다 {n}번, GD는 1번 업데이트하므로 에포크 기준으로는 "
        "SGD의 손실이 가장 빨리 떨어집니다. 원론적 정의에서는 어느 방법이든 에포크마다 "
        "1번 업데이트합니다",
    ),
    "demo_notice_samples": (
        "- against per-sample gradients, the batch size sets the curve, not the definition of "
        "an epoch: both SGD runs (batch 1) trace the same kind of curve, the original one just "
        "stops after {epochs:~sample}",
        "- 샘플별 기울기 수 기준으로 보면 곡선을 정하는 것은 에포크의 정의가 아니라 "
        "배치 크기입니다. 배치 크기가 1인 두 SGD는 같은 모양의 곡선을 그리고, 원론적 정의 "
        "쪽은 샘플 {epochs:,}개만 보고 멈출 뿐입니다",
    ),
    "demo_notice_time": (
        "- wall time: batch-1 SGD under the framework definition is the slowest per epoch, "
        "because {n} small updates cost more than one update on {n} samples (the lesson of "
        "d2l's mini-batch chapter); the times depend on the machine",
        "- 소요 시간: 프레임워크 정의의 SGD(배치 크기 1)가 에포크당 가장 느립니다. 작은 업데이트 "
        "{n}번이 샘플 {n}개로 하는 업데이트 1번보다 비싸기 때문입니다 (d2l 미니배치 장의 교훈). "
        "시간은 컴퓨터마다 다릅니다",
    ),
    # figures
    "batch_loss": ("batch loss", "배치 손실"),
    "train_loss": ("training loss (all samples)", "학습 손실 (전체 샘플)"),
    "axis_epoch": ("epochs", "에포크"),
    "axis_uses": ("uses of a sample", "샘플 하나가 쓰인 횟수"),
    "axis_n_samples": ("samples", "샘플 수"),
    "expected": ("expected (closed form)", "기댓값 (공식)"),
    "simulated": ("one run (seed {seed})", "한 번 실행 (시드 {seed})"),
    "axis_step": ("updates (steps)", "업데이트 (스텝)"),
    "axis_samples": ("per-sample gradients computed", "계산한 샘플별 기울기 수"),
    "axis_sample": ("sample", "샘플"),
    "measured": ("measured (2,000 draws)", "측정값 (2,000번 뽑음)"),
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
    return _WORDS.format(words, **fields) if fields else words


def counted(n: int, noun: str) -> str:
    """``n`` and an English noun that agrees with it: "1 step", "2,000 steps".

    Korean has no plural: its words never need this.

    Examples
    --------
    >>> counted(1, "step"), counted(2000, "step"), counted(3, "batch"), counted(2, "epoch")
    ('1 step', '2,000 steps', '3 batches', '2 epochs')
    """
    if n == 1:
        return f"1 {noun}"
    return f"{n:,} {noun}{'es' if noun.endswith(('s', 'x', 'sh', 'tch')) else 's'}"


class _Words(string.Formatter):
    """``str.format`` plus English agreement with a count field.

    ``{n:~step}`` is :func:`counted` ("1 step", "20 steps"); ``{n:~is/are}``
    is the word that agrees with ``n`` ("is" for 1, else "are"). A field may
    be an int or a number already written with thousands separators.
    """

    def format_field(self, value: Any, format_spec: str) -> str:
        if not format_spec.startswith("~"):
            return format(value, format_spec)
        n = int(str(value).replace(",", ""))
        one, slash, many = format_spec[1:].partition("/")
        if slash:
            return one if n == 1 else many
        return counted(n, one)


_WORDS = _Words()


def name(code: str, lang: str = "en") -> str:
    """The display name of a convention code (``"pass"``, ``"draw"``, ``"shuffle"``, ...).

    Korean output never shows the code itself; English shows the name.

    Examples
    --------
    >>> name("draw"), name("draw", "ko"), name("shuffle", "ko")
    ('original definition', '원론적 정의', '섞기')
    """
    return text(f"name_{code}", lang)


_LAWS = (
    (re.compile(r"exactly (?P<n>[\d,]+)"), "exactly"),
    (re.compile(r"(?P<lo>[\d,]+) to (?P<hi>[\d,]+)"), "between"),
    (re.compile(r"Binomial\(n=(?P<n>\d+), p=(?P<p>[^)]+)\)"), "law_binomial"),
    (re.compile(r"Bernoulli\(p=(?P<p>[^)]+)\)"), "law_bernoulli"),
    (
        re.compile(r"sum of (?P<k>\d+) passes of (?P<counts>\[[^\]]*\]) \(uses: samples\)"),
        "law_passes",
    ),
)


def law_text(law: str, lang: str = "en") -> str:
    """A use-count law (``ExposureSummary.distribution``, in English) in ``lang``.

    Examples
    --------
    >>> law_text("Binomial(n=500, p=0.01)", "ko")
    '이항분포 B(500, 0.01)'
    >>> law_text("Binomial(n=3, p=0.5) + Bernoulli(p=0.2)", "ko")
    '이항분포 B(3, 0.5) + 베르누이 분포(0.2)'
    >>> law_text("exactly 500", "ko"), law_text("4 to 5", "ko")
    ('정확히 500번', '4~5번')
    """
    if lang == "en":
        return law
    for pattern, key in _LAWS:

        def words(match: re.Match[str], key: str = key) -> str:
            return text(key, lang, **match.groupdict())

        law = pattern.sub(words, law)
    return law
