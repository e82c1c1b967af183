// What a job did or why it stopped, in the seller's language: the engine sends its
// outcome and its error's kind as data, and keeps its English sentence as the detail.

import type { ErrorKind, ImportedPhotos, JobOutcome, JobState } from "./bindings";
import { formatBytes, formatCount } from "./format";
import { errorText, layoutText, t } from "./i18n";

/** The file's name without its folders: the job bar has no room for a whole path. */
function fileName(path: string): string {
  return path.split(/[\\/]/).filter(Boolean).pop() ?? path;
}

export function outcomeText(outcome: JobOutcome): string {
  const n = formatCount;
  switch (outcome.kind) {
    case "load_demo":
      return t("job.outcome.load_demo", {
        listings: n(outcome.loaded.listings.listings),
        orders: n(
          outcome.loaded.orders.orders +
            outcome.loaded.other_orders
              .filter((imported) => imported.layout !== "etsy_sold_orders")
              .reduce((sum, imported) => sum + imported.orders, 0),
        ),
        photos: n(outcome.loaded.photos.photos),
        reviews: n(outcome.loaded.reviews.reduce((sum, imported) => sum + imported.added + imported.updated, 0)),
      });
    case "import_listings":
      return t("job.outcome.import_listings", {
        listings: n(outcome.imported.listings),
        variants: n(outcome.imported.variants),
        images: n(outcome.imported.images),
        file: fileName(outcome.file),
      });
    case "import_orders":
      return [
        t("job.outcome.import_orders", {
          orders: n(outcome.imported.orders),
          lines: n(outcome.imported.lines),
          file: fileName(outcome.file),
          layout: layoutText(outcome.imported.layout),
        }),
        ...(outcome.imported.skipped_rows > 0 ? [t("job.outcome.orders_skipped", { n: n(outcome.imported.skipped_rows) })] : []),
      ].join(" ");
    case "import_photos":
      return [
        t("job.outcome.import_photos", { photos: n(outcome.imported.photos), folder: fileName(outcome.folder) }),
        ...photosLeft(outcome.imported),
      ].join(" ");
    case "import_photo_files":
      return [t("job.outcome.import_photo_files", { photos: n(outcome.imported.photos) }), ...photosLeft(outcome.imported)].join(" ");
    case "tag_photos":
      return [
        t("job.outcome.tag_photos", {
          photos: n(outcome.tagged.photos),
          model: outcome.model,
          proposed: n(outcome.tagged.proposed),
          learned: n(outcome.tagged.learned_from),
        }),
        ...outcome.tagged.skipped.map((photo) => t("photos.skipped", { reason: photo.reason })),
      ].join(" ");
    case "caption_photos":
      return [
        t("job.outcome.caption_photos", {
          captioned: n(outcome.captioned.captioned),
          model: outcome.model,
          translated: n(outcome.captioned.translated),
          locales: outcome.locales.join(", "),
          kept: n(outcome.captioned.kept),
        }),
        ...outcome.captioned.skipped.map((photo) => t("photos.skipped", { reason: photo.reason })),
      ].join(" ");
    case "import_model":
    case "download_model":
      return t(`job.outcome.${outcome.kind}`, {
        id: outcome.model.id,
        files: n(outcome.model.files),
        size: formatBytes(outcome.model.bytes),
      });
    case "download_models":
    case "import_models": {
      const fetched = outcome.fetched;
      const sentence = t(`job.outcome.${outcome.kind}`, {
        n: n(fetched.models.length),
        ids: fetched.models.map((model) => model.id).join(", "),
        files: n(fetched.models.reduce((sum, model) => sum + model.files, 0)),
        size: formatBytes(fetched.models.reduce((sum, model) => sum + model.bytes, 0)),
        folder: outcome.kind === "import_models" ? fileName(outcome.folder) : "",
      });
      const missing = fetched.missing.length > 0 ? [t("job.outcome.models_missing", { ids: fetched.missing.join(", ") })] : [];
      return [sentence, ...missing].join(" ");
    }
    case "translate_listings":
      return t("job.outcome.translate_listings", {
        fields: n(outcome.done.fields),
        locales: outcome.locales.join(", "),
        memory: n(outcome.done.from_memory),
        model: n(outcome.done.from_model),
        unchanged: n(outcome.done.unchanged),
        flagged: n(outcome.done.flagged),
      });
  }
}

/** What a photo import left as it was, and what it could not read. */
function photosLeft(imported: ImportedPhotos): string[] {
  const parts = imported.unchanged > 0 ? [t("job.outcome.photos_unchanged", { n: formatCount(imported.unchanged) })] : [];
  return [...parts, ...imported.skipped.map((photo) => t("photos.skipped", { reason: photo.reason }))];
}

/** How a job ended, as the job bar and the jobs list show it. */
export interface JobEnding {
  state: JobState;
  outcome: JobOutcome | null;
  error_kind: ErrorKind | null;
  message: string | null;
}

/**
 * The line to show for a finished job, and the engine's own sentence as the detail of
 * a failure. A job without an outcome from a build that did not keep one shows the
 * sentence it kept.
 */
export function endingText(job: JobEnding): { text: string; detail: string | null } {
  if (job.state === "succeeded") {
    return job.outcome ? { text: outcomeText(job.outcome), detail: null } : { text: job.message ?? "", detail: null };
  }
  if (job.state === "failed") {
    return { text: errorText(job.error_kind ?? "unknown"), detail: job.message };
  }
  return { text: "", detail: null };
}
