// Turns the measured query runs of one backend into the result file's figures, and checks that
// every answered subject of the full server left a trail record.

/** Figures `<backend>_...` of the full server, the baseline and their ratios. */
export function queryFigures(backend, measured) {
  const { io, baseline } = measured;
  const sentSubjects = io.single.sentSubjects + io.batch100.sentSubjects;
  if (io.trailed < sentSubjects) {
    throw new Error(
      `${backend}: ${io.trailed} trail records for ${sentSubjects} subjects answered`,
    );
  }
  const p = (name) => `${backend}_${name}`;
  return {
    [p('subjects_per_s_single')]: io.single.subjectsPerS,
    [p('single_p50_ms')]: io.single.p50Ms,
    [p('single_p99_ms')]: io.single.p99Ms,
    [p('subjects_per_s_batch100')]: io.batch100.subjectsPerS,
    [p('batch100_p50_ms')]: io.batch100.p50Ms,
    [p('batch100_p99_ms')]: io.batch100.p99Ms,
    [p('baseline_subjects_per_s_single')]: baseline.single.subjectsPerS,
    [p('baseline_single_p50_ms')]: baseline.single.p50Ms,
    [p('baseline_single_p99_ms')]: baseline.single.p99Ms,
    [p('baseline_subjects_per_s_batch100')]: baseline.batch100.subjectsPerS,
    [p('baseline_batch100_p50_ms')]: baseline.batch100.p50Ms,
    [p('baseline_batch100_p99_ms')]: baseline.batch100.p99Ms,
    [p('ratio_single_to_baseline')]: io.single.subjectsPerS / baseline.single.subjectsPerS,
    [p('ratio_batch100_to_baseline')]: io.batch100.subjectsPerS / baseline.batch100.subjectsPerS,
    [p('not_found_share')]: io.batch100.notFoundShare,
    [p('answers_signature_verified')]: io.single.verified + io.batch100.verified,
    [p('trail_records_while_serving')]: io.trailed,
  };
}
