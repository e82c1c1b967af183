// The one module that talks to the desktop backend. Views call these typed
// functions; nothing else imports Tauri.

import { Channel, invoke, type InvokeArgs } from "@tauri-apps/api/core";
import { open, save } from "@tauri-apps/plugin-dialog";
import type {
  CategoryChoice,
  CohortSplit,
  Cohorts,
  CustomerSuggestions,
  EmailTool,
  ForecastReport,
  ImportedReviews,
  ReviewsSummary,
  ReviewsPreview,
  ReviewMapping,
  Method,
  ProductSuggestions,
  RecommendationReport,
  ReportRequest,
  ReportWritten,
  SegmentChoice,
  SegmentExport,
  SegmentSummary,
  StockLevel,
  Dashboard,
  Filter,
  Granularity,
  GroupAt,
  MatchSuggestion,
  OrderRow,
  OrdersPreview,
  RfmReport,
  ComputeSettings,
  DeviceChoice,
  DeviceStatus,
  DoctorReport,
  EngineChoice,
  ErrorKind,
  FilledReport,
  FirstRun,
  GlossaryEntry,
  Job,
  JobEvent,
  JobSpec,
  Language,
  ListingSummary,
  ListingsFilePreview,
  ModelPlan,
  ModelRun,
  MoveProgress,
  ModelStatus,
  PlanRequest,
  Review,
  StoredTranslation,
  OrdersSummary,
  Overview,
  PhotoDetail,
  PhotoView,
  PhotoVocabulary,
  ShopifyFilled,
  SidecarNaming,
  SidecarsWritten,
  TagAction,
  ReplyDraft,
  BuyerMessage,
  MessagesImported,
  ShopPolicies,
  CopyDraft,
  CopyKind,
  VerifiedFile,
  Violation,
  WrittenCopy,
} from "./bindings";

/**
 * A failed command: `kind` is stable for code and picks the words the seller reads,
 * `message` is the engine's own sentence (naming the file, row or field), shown as
 * the detail. `unknown` is an answer that was not a command error at all.
 */
export class ApiError extends Error {
  readonly kind: ErrorKind | "unknown";
  constructor(kind: ErrorKind | "unknown", message: string) {
    super(message);
    this.kind = kind;
  }
}

function toApiError(error: unknown): ApiError {
  if (error && typeof error === "object" && "kind" in error && "message" in error) {
    return new ApiError(error.kind as ErrorKind, String(error.message));
  }
  return new ApiError("unknown", String(error));
}

async function call<T>(command: string, args?: InvokeArgs): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (error) {
    throw toApiError(error);
  }
}

function channel(onEvent: (event: JobEvent) => void): Channel<JobEvent> {
  const events = new Channel<JobEvent>();
  events.onmessage = onEvent;
  return events;
}

export const api = {
  overview: () => call<Overview>("overview"),
  listings: () => call<ListingSummary[]>("listings"),
  photos: () => call<PhotoView[]>("photos"),
  photo: (id: number) => call<PhotoDetail>("photo", { id }),
  photoVocabulary: () => call<PhotoVocabulary>("photo_vocabulary"),
  /** Taxonomy categories whose path has every word of `query`. */
  photoCategories: (query: string) => call<CategoryChoice[]>("photo_categories", { query }),
  /** The seller's word on a tag across `photos`; returns how many changed. */
  correctPhotoTags: (photos: number[], group: string, label: string, action: TagAction) =>
    call<number>("correct_photo_tags", { photos, group, label, action }),
  addPhotoLabel: (group: string, label: string) => call<void>("add_photo_label", { group, label }),
  resetPhotoLearning: () => call<void>("reset_photo_learning"),
  editPhotoAltText: (photo: number, locale: string, text: string) =>
    call<void>("edit_photo_alt_text", { photo, locale, text }),
  photoMarketplaces: () => call<string[]>("photo_marketplaces"),
  sidecarNaming: () => call<SidecarNaming>("sidecar_naming"),
  setSidecarNaming: (naming: SidecarNaming) => call<void>("set_sidecar_naming", { naming }),
  /** XMP sidecars beside the photos (all when `photos` is empty), or into `folder`. */
  writePhotoSidecars: (photos: number[], folder: string | null) =>
    call<SidecarsWritten>("write_photo_sidecars", { photos, folder }),
  exportPhotosTable: (out: string) => call<number>("export_photos_table", { out }),
  fillShopifyFromPhotos: (original: string, out: string, locale: string) =>
    call<ShopifyFilled>("fill_shopify_from_photos", { original, out, locale }),
  ordersSummary: () => call<OrdersSummary>("orders_summary"),
  dashboard: (filter: Filter, granularity: Granularity) => call<Dashboard>("dashboard", { filter, granularity }),
  rfm: (filter: Filter) => call<RfmReport>("rfm", { filter }),
  /** One customer's RFM group at the end of each month since their first order. */
  customerGroups: (filter: Filter, customer: string) => call<GroupAt[]>("customer_groups", { filter, customer }),
  /** Buyers known only by a channel whose name and postal code match another customer's. */
  matchSuggestions: () => call<MatchSuggestion[]>("match_suggestions"),
  /** The seller's answer: the pair is one person (`same`) or two. */
  decideMatch: (customer: string, withCustomer: string, same: boolean) =>
    call<void>("decide_match", { customer, with: withCustomer, same }),
  cohorts: (filter: Filter, split: CohortSplit) => call<Cohorts>("cohorts", { filter, split }),
  /** Every recommender scored on the filtered orders, the best named, and the bought-together rules. */
  recommendations: (filter: Filter) => call<RecommendationReport>("recommendations", { filter }),
  /** A customer's next products by `method`, or by the best on these orders when null. */
  nextProducts: (filter: Filter, customer: string, method: Method | null) =>
    call<CustomerSuggestions>("next_products", { filter, customer, method }),
  /** The RFM groups as campaign segments, each with the campaign that suits it. */
  segments: (filter: Filter) => call<SegmentSummary[]>("segments", { filter }),
  /** Whether segment exports are anonymised unless the seller says otherwise (their last choice). */
  segmentExportsAnonymised: () => call<boolean>("segment_exports_anonymised"),
  /** A segment's customers as `tool`'s import CSV at `out`; the anonymise choice is remembered. */
  exportSegment: (filter: Filter, choice: SegmentChoice, tool: EmailTool, anonymise: boolean, out: string) =>
    call<SegmentExport>("export_segment", { filter, choice, tool, anonymise, out }),
  writeReport: (request: ReportRequest, out: string) => call<ReportWritten>("write_report", { request, out }),

  /**
   * Drafts the reply to a buyer's message (about `order`, for an imported message that names one);
   * the draft's text arrives on `onText` as it is written.
   */
  draftReply(message: string, order: string | null, onText: (piece: string) => void): Promise<ReplyDraft> {
    const pieces = new Channel<string>();
    pieces.onmessage = onText;
    return call<ReplyDraft>("draft_reply", { message, order, generator: null, onText: pieces });
  },
  /** Imports a messages file (buyer, order number, text, date). */
  importMessages: (path: string) => call<MessagesImported>("import_messages", { path }),
  buyerMessages: () => call<BuyerMessage[]>("buyer_messages"),
  /** Stops the reply being written, after the piece being written. */
  stopWriting: () => call<void>("stop_writing"),
  shopPolicies: () => call<ShopPolicies>("shop_policies"),
  setShopPolicies: (policies: ShopPolicies) => call<void>("set_shop_policies", { policies }),
  shortenField: (text: string, field: string, marketplace: string, language: string, keep: string[]) =>
    call<CopyDraft>("shorten_field", { text, field, marketplace, language, keep }),
  /** An SEO title, meta description or tags for a listing's title and description, in `language`. */
  draftListingCopy: (kind: CopyKind, title: string, description: string, language: string, marketplace: string, keep: string[]) =>
    call<CopyDraft>("draft_listing_copy", { kind, title, description, language, marketplace, keep }),
  /** Each SKU's weekly demand `weeks` ahead, its backtest, and reorder hints. */
  forecast: (filter: Filter, weeks: number) => call<ForecastReport>("forecast", { filter, weeks }),
  /** What the reviews say per product: stars, languages, recurring complaints and praise. */
  reviewsSummary: () => call<ReviewsSummary>("reviews_summary"),
  /** Imports a review app's export (Judge.me, Shopify Product Reviews, Etsy) and reads its texts' stars. */
  previewReviewsFile: (path: string) => call<ReviewsPreview>("preview_reviews_file", { path }),
  importReviews: (path: string, mapping: ReviewMapping | null) => call<ImportedReviews>("import_reviews", { path, mapping }),
  /** The seller's stock of a SKU and the weeks a reorder takes to arrive. */
  setStockLevel: (level: StockLevel) => call<void>("set_stock_level", { level }),
  /** What the buyers of a product (a listing's handle or a SKU) also bought. */
  alsoBought: (filter: Filter, product: string) => call<ProductSuggestions>("also_bought", { filter, product }),
  /** The orders behind a chart or a segment, or one customer's (at most 200). */
  orders: (filter: Filter, customer: string | null) => call<OrderRow[]>("orders", { filter, customer }),
  /** Which channel and layout an orders file is, before importing it. */
  previewOrdersFile: (path: string) => call<OrdersPreview>("preview_orders_file", { path }),
  reportingCurrency: () => call<string>("reporting_currency"),
  setReportingCurrency: (currency: string) => call<void>("set_reporting_currency", { currency }),
  jobs: () => call<Job[]>("jobs"),
  doctor: () => call<DoctorReport>("doctor"),
  language: () => call<Language>("language"),
  setLanguage: (code: Language) => call<Language>("set_language", { code }),
  saveDoctorReport: (path: string) => call<void>("save_doctor_report", { path }),
  models: () => call<ModelStatus[]>("models"),
  verifyModel: (id: string) => call<VerifiedFile[]>("verify_model", { id }),
  removeModel: (id: string) => call<number>("remove_model", { id }),
  /** The database (not models or photos) to one file. */
  backUp: (path: string) => call<void>("back_up", { path }),
  /** Replaces the database with a backup; returns where the replaced one was kept. */
  restoreBackup: (path: string) => call<string | null>("restore_backup", { path }),
  /** Empties the data folder: the app is at its first run after it. */
  deleteAllData: () => call<void>("delete_all_data"),
  /** Moves the data folder to `to` (new or empty); returns where it is now. */
  moveDataFolder: (to: string, onProgress: (progress: MoveProgress) => void) => {
    const progress = new Channel<MoveProgress>();
    progress.onmessage = onProgress;
    return call<string>("move_data_folder", { to, onProgress: progress });
  },
  chooseWriter: (id: string) => call<void>("choose_writer", { id }),
  /** Whether to greet the seller with the first run, and what this computer offers. */
  firstRun: () => call<FirstRun>("first_run"),
  /** The seller left the first run's page: it is not shown again. */
  finishFirstRun: () => call<void>("finish_first_run"),
  /** The catalog's models for the tasks the seller ticked, chosen for this computer. */
  planModels: (request: PlanRequest) => call<ModelPlan>("plan_models", { request }),
  deviceStatus: () => call<DeviceStatus>("device_status"),
  setDevice: (choice: DeviceChoice) => call<DeviceStatus>("set_device", { choice }),
  /** Loads the model unless it is in memory, and runs it on `texts` (and a photo). */
  runModel: (id: string, texts: string[], image: string | null, targetLanguage: string | null) =>
    call<ModelRun>("run_model", { id, texts, image, targetLanguage }),
  computeSettings: () => call<ComputeSettings>("compute_settings"),
  listingTranslations: () => call<StoredTranslation[]>("listing_translations"),
  /** An edit (`text` replaces the translation) or an approval (`text` null). */
  reviewTranslation: (listingId: number, field: string, locale: string, text: string | null, review: Review) =>
    call<void>("review_translation", { listingId, field, locale, text, review }),
  /** Translates one field again by machine, replacing the seller's edit. */
  retranslateField: (listingId: number, field: string, locale: string) =>
    call<void>("retranslate_field", { listingId, field, locale }),
  previewListingsFile: (path: string) => call<ListingsFilePreview>("preview_listings_file", { path }),
  /** Fills the shop's translations export (`shopExport`) into `out`. */
  fillShopifyTranslations: (shopExport: string, out: string) =>
    call<FilledReport>("fill_shopify_translations", { shopExport, out }),
  /** A translated copy of the seller's product file per language, beside it. */
  exportTranslatedCopies: (original: string) => call<WrittenCopy[]>("export_translated_copies", { original }),
  /** Every translation as a table; the format follows `out`'s extension. */
  exportTranslationsTable: (out: string, marketplace: string | null) =>
    call<number>("export_translations_table", { out, marketplace }),
  marketplaces: () => call<string[]>("marketplaces"),
  /** Per target the catalog reaches from `source`, the family of models used by default. */
  defaultEngines: (source: string, targets: string[]) =>
    call<Record<string, EngineChoice>>("default_engines", { source, targets }),
  glossary: () => call<GlossaryEntry[]>("glossary"),
  setGlossaryEntry: (entry: GlossaryEntry) => call<void>("set_glossary_entry", { entry }),
  removeGlossaryEntry: (source: string, language: string) =>
    call<boolean>("remove_glossary_entry", { source, language }),
  /** Adds or replaces the entries of a CSV (source, language, target); returns how many. */
  importGlossary: (path: string) => call<number>("import_glossary", { path }),
  exportGlossary: (path: string) => call<number>("export_glossary", { path }),
  marketplaceViolations: (marketplace: string) =>
    call<[StoredTranslation, Violation[]][]>("marketplace_violations", { marketplace }),
  setComputeSettings: (settings: ComputeSettings) => call<ComputeSettings>("set_compute_settings", { settings }),

  /** Starts a job; progress and the final outcome arrive on `onEvent`. */
  startJob: (spec: JobSpec, onEvent: (event: JobEvent) => void) =>
    call<number>("start_job", { spec, onEvent: channel(onEvent) }),
  resumeJob: (id: number, onEvent: (event: JobEvent) => void) =>
    call<void>("resume_job", { id, onEvent: channel(onEvent) }),
  cancelJob: (id: number) => call<boolean>("cancel_job", { id }),

  /** Asks the seller for one file; null when they cancel. */
  async pickFile(name: string, extensions: string[]): Promise<string | null> {
    const chosen = await open({ multiple: false, directory: false, filters: [{ name, extensions }] });
    return typeof chosen === "string" ? chosen : null;
  },
  async pickFiles(name: string, extensions: string[]): Promise<string[]> {
    const chosen = await open({ multiple: true, directory: false, filters: [{ name, extensions }] });
    if (Array.isArray(chosen)) return chosen;
    return typeof chosen === "string" ? [chosen] : [];
  },
  async pickFolder(): Promise<string | null> {
    const chosen = await open({ multiple: false, directory: true });
    return typeof chosen === "string" ? chosen : null;
  },
  async pickSaveLocation(defaultPath: string, filters: { name: string; extensions: string[] }[]): Promise<string | null> {
    return await save({ defaultPath, filters });
  },
};
