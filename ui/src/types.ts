// The shapes the backend sends, as the engine serialises them.

export type Language = "en" | "zh-CN";

export interface Overview {
  listings: number;
  variants: number;
  images: number;
  orders: number;
  order_lines: number;
  customers: number;
  photos: number;
}

export interface ListingSummary {
  id: number;
  handle: string;
  title: string;
  vendor: string;
  product_type: string;
  status: string;
  variants: number;
  images: number;
  min_price_cents: number | null;
  max_price_cents: number | null;
}

export interface PhotoView {
  id: number;
  file_name: string;
  width: number;
  height: number;
  bytes: number;
  thumbnail: string;
}

export interface CurrencyRevenue {
  currency: string;
  orders: number;
  gross_cents: number;
  refunded_cents: number;
  net_cents: number;
}

export interface OrdersSummary {
  orders: number;
  order_lines: number;
  customers: number;
  repeat_customers: number;
  countries: number;
  first_order_at: string | null;
  last_order_at: string | null;
  revenue: CurrencyRevenue[];
  top_countries: { country: string; orders: number }[];
}

export type JobState = "queued" | "running" | "succeeded" | "failed" | "cancelled" | "interrupted";

export interface Progress {
  stage: string;
  done: number;
  total: number | null;
  unit: "items" | "bytes";
  rate_per_second: number | null;
  eta_seconds: number | null;
  /** Model jobs: segments done and tokens made per second in this run. */
  throughput?: { segments: number; tokens: number; tokens_per_second: number | null };
}

export interface JobRecord {
  id: number;
  kind: string;
  state: JobState;
  progress: Progress;
  message: string | null;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export type JobEvent =
  | { type: "progress"; job_id: number; progress: Progress }
  | { type: "finished"; job_id: number; state: JobState; message: string | null };

export type JobSpec =
  | { kind: "load_demo" }
  | { kind: "import_model"; id: string; folder: string }
  | { kind: "download_model"; id: string }
  | { kind: "import_listings"; path: string; mapping?: Mapping }
  | { kind: "import_orders"; path: string }
  | { kind: "import_photos"; folder: string }
  | {
      kind: "translate_listings";
      source: string;
      locales: string[];
      prefer: EngineChoice;
      /** Per target language, when it differs from `prefer`. */
      engines?: Record<string, EngineChoice>;
    };

/** opus-mt pairs (through English where needed), or the one many-language MADLAD-400. */
export type EngineChoice = "marian" | "madlad";

export interface DoctorReport {
  version: string;
  data_dir: string;
  database: {
    path: string;
    schema_version: number;
    latest_schema_version: number;
    size_bytes: number;
    journal_mode: string;
  };
  integrity_problems: string[];
  cpu: { arch: string; avx2: boolean; fma: boolean; f16c: boolean; neon: boolean };
  devices: string[];
  kernels: { avx2: boolean; f16c: boolean; neon: boolean; quantized_kernels: string; threads: number };
  models: string[];
  loaded_models: LoadReport[];
  model_memory_budget_bytes: number;
  translation_precision: Precision;
  counts: Overview;
  jobs: { total: number; running: number; interrupted: number; failed: number };
}

export interface ModelFile {
  name: string;
  size: number | null;
  sha256: string | null;
}

export interface ModelEntry {
  id: string;
  name: string;
  task: "translate" | "caption" | "zero-shot-image" | "embed" | "sentiment" | "generate";
  architecture: string;
  repo: string;
  revision: string;
  quantization: string;
  ram_mb: number;
  licence: string;
  languages: string[];
  note: string | null;
  files: ModelFile[];
}

export type Presence =
  | { state: "not_present" }
  | { state: "present"; location: string }
  | { state: "damaged"; detail: string };

export interface LoadReport {
  key: { id: string; device: string; precision: string };
  load_ms: number;
  weight_bytes: number;
  resident_growth_bytes: number | null;
  cache_hit: boolean;
}

export interface ModelStatus {
  model: ModelEntry;
  presence: Presence;
  disk_bytes: number;
  loaded: LoadReport | null;
}

export type ModelOutput =
  | { kind: "translations"; results: { text: string; tokens: number }[] }
  | { kind: "similarities"; results: number[] }
  | { kind: "sentiments"; results: { label: string; stars: number; probabilities: number[] }[] }
  | { kind: "tags"; results: [string, number][] }
  | { kind: "caption"; results: string }
  | { kind: "generation"; results: { text: string; tokens: number } };

export interface ModelRun {
  load: LoadReport;
  output: ModelOutput;
}

export type Precision = "f32" | "q8_0";

export interface ComputeSettings {
  translation_precision: Precision;
  threads: number;
  model_memory_mb: number;
  threads_in_use: number;
}

export interface VerifiedFile {
  name: string;
  path: string;
  size: number;
  sha256: string;
  trust: "catalog" | "recorded" | "recorded_now";
}

export type DeviceChoice = "cpu" | "metal" | "cuda";

export interface DeviceStatus {
  choice: DeviceChoice;
  using: string;
  fallback: string | null;
  compiled: string[];
}

export type TranslationStatus = "machine" | "edited" | "approved";

export interface StoredTranslation {
  listing_id: number;
  handle: string;
  field: string;
  locale: string;
  source: string;
  translated: string;
  status: TranslationStatus;
  /** What a reviewer should look at (lost brand names, codes, glossary terms…). */
  flags: unknown[];
}

export type Review = "edited" | "approved";

/** What filling in the shop's translations export wrote. */
export interface FilledReport {
  filled: number;
  /** Rows whose text changed in the shop since it was translated: left empty. */
  stale: number;
  /** Rows of translated languages with no translation yet. */
  untranslated: number;
  /** Languages of the file with no translations at all. */
  other_locales: string[];
  /** Filled rows over Shopify's length limits or guidance. */
  over_limits: number;
}

/** A translation over a marketplace's length limit. */
export interface Violation {
  marketplace: string;
  field: string;
  /** What is too long: the field, or one tag. */
  text: string;
  limit: string;
  actual: string;
  /** A search-engine recommendation rather than a limit the marketplace enforces. */
  guidance: boolean;
  source: string;
}

/** What a column of a seller's own product file holds. */
export type Role =
  | "handle"
  | "title"
  | "description"
  | "vendor"
  | "product_type"
  | "tags"
  | "seo_title"
  | "seo_description"
  | "sku"
  | "price"
  | "image_src"
  | "image_alt"
  | "translate"
  | "ignore";

/** Column name → role. */
export type Mapping = Record<string, Role>;

/** A product file before import: its columns, first rows and the proposed mapping. */
export interface ListingsFilePreview {
  /** A Shopify product CSV, read as it is without a mapping. */
  shopify: boolean;
  path: string;
  format: "csv" | "xlsx" | "json";
  columns: string[];
  sample: string[][];
  rows: number;
  proposed: Mapping;
}

/** A translated copy of the seller's product file, written. */
export interface WrittenCopy {
  locale: string;
  path: string;
  report: { replaced: number; stale: number };
}

/** A glossary entry: how a term must read in a language. */
export interface GlossaryEntry {
  source: string;
  language: string;
  target: string;
}
