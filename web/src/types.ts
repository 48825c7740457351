// Shapes from docs/api.md.

/** Ids are opaque to the UI (the server happens to use numbers). */
export type Id = string | number;

export type Role = 'operator' | 'requester' | 'tasker';

export interface Me {
  id: Id;
  email: string;
  displayName: string;
  role: Role;
  organisation: { id: Id; name: string } | null;
  country: string | null;
  languages: string[];
  expertise: string[];
}

export type FieldType = 'text' | 'markdown' | 'image' | 'url' | 'chat' | 'side_by_side';

export interface TemplateField {
  id: string;
  type: FieldType;
  label?: string;
  source?: string;
  sources?: string[];
  labels?: string[];
}

export interface ChoiceOption {
  value: string;
  label?: string;
}

interface QuestionBase {
  id: string;
  prompt: string;
  required?: boolean;
}
export interface SingleChoiceQuestion extends QuestionBase {
  type: 'single_choice';
  options: ChoiceOption[];
}
export interface MultipleChoiceQuestion extends QuestionBase {
  type: 'multiple_choice';
  options: ChoiceOption[];
  minSelected?: number;
  maxSelected?: number;
}
export interface RatingQuestion extends QuestionBase {
  type: 'rating';
  scale: number;
  lowLabel?: string;
  highLabel?: string;
}
export interface PairwiseQuestion extends QuestionBase {
  type: 'pairwise';
  strength?: boolean;
  rationale?: { required?: boolean; maxLength?: number; minLength?: number };
}
export interface FreeTextQuestion extends QuestionBase {
  type: 'free_text';
  minLength?: number;
  maxLength?: number;
}
export type Question =
  | SingleChoiceQuestion
  | MultipleChoiceQuestion
  | RatingQuestion
  | PairwiseQuestion
  | FreeTextQuestion;

export interface Template {
  fields: TemplateField[];
  questions: Question[];
}

export interface PairwiseValue {
  choice: 'A' | 'B' | 'tie';
  strength?: number;
  rationale?: string;
}
export type AnswerValue = string | string[] | number | PairwiseValue | null;
export type Answer = Record<string, AnswerValue>;

export interface WorkProject {
  id: Id;
  name: string;
  description: string;
  payPerTask: number;
  currency: string;
  estimatedSeconds: number;
  hourlyRate: number;
  tasksAvailable: number;
  contentWarnings: string[];
}

export interface WorkProjectDetail {
  id: Id;
  name: string;
  description: string;
  template: Template;
  guidelines: string;
  payPerTask: number;
  currency: string;
  estimatedSeconds: number;
  hourlyRate: number;
}

export interface Task {
  assignmentId: Id;
  projectId: Id;
  itemId: Id;
  data: Record<string, unknown>;
  leasedAt: string;
  expiresAt: string;
  payRate: number;
  currency: string;
}

export interface SubmitResult {
  answerId: Id;
  assignmentId: Id;
  duplicate: boolean;
}

/** What became of the next task asked for with a submission (POST …/submit-and-next). */
export type NextState = 'leased' | 'none-left' | 'limit-reached' | 'ask-again' | 'closed' | 'not-eligible';

export interface SubmittedAndNext {
  submitted: SubmitResult;
  next: Task | null;
  nextState: NextState;
}

export interface Earning {
  currency: string;
  tasks: number;
  amount: number;
}

export type ProjectStatus = 'draft' | 'published' | 'paused';

/** How answers become one label per item (docs/api.md); `auto` is the server's default. */
export const aggregationMethods = ['auto', 'mv', 'wawa', 'ds', 'onecoin-ds', 'glad', 'mace'] as const;
export type AggregationMethod = (typeof aggregationMethods)[number];

export interface ProjectInput {
  name: string;
  description: string;
  template: unknown;
  guidelines: string;
  overlap: number;
  payPerTask: number;
  currency: string;
  estimatedSeconds: number;
  aggregation?: AggregationMethod;
}

export interface Project extends ProjectInput {
  id: Id;
  status: ProjectStatus;
  createdAt: string;
  hourlyRate: number;
}

export interface ProjectSummary {
  id: Id;
  name: string;
  status: ProjectStatus;
  overlap: number;
  payPerTask: number;
  currency: string;
  estimatedSeconds: number;
  hourlyRate: number;
  items: number;
  completedItems: number;
  answers: number;
}

export interface Progress {
  items: number;
  completedItems: number;
  answers: number;
  activeTaskers: number;
  leasedTasks: number;
  answersPerHour: { hour: string; answers: number }[];
}

/** Per categorical question; `method` is the one actually used (never `auto`). */
export interface QuestionQuality {
  question: string;
  method: string;
  items: number;
  answers: number;
  krippendorffAlpha: number | null;
  percentAgreement: number | null;
  goldAnswered: number;
  goldAccuracy: number | null;
}

export interface TaskerQuality {
  taskerId: Id;
  name: string;
  country: string | null;
  answers: number;
  estimatedAccuracy: number | null;
  goldAnswered: number;
  goldAccuracy: number | null;
}

export interface ProjectQuality {
  questions: QuestionQuality[];
  taskers: TaskerQuality[];
}

export interface Provenance {
  source?: string;
  licence?: string;
  consentBasis?: string;
  personalData?: boolean;
  minors?: boolean;
  collectedAt?: string;
  sensitivity?: string[];
}

export interface ItemRow {
  id: Id;
  externalId: string;
  data: Record<string, unknown>;
  provenance: Provenance | null;
  answers: number | unknown[];
}

export interface ItemPage {
  total: number;
  items: ItemRow[];
}

export interface ImportError {
  line: number;
  field: string;
  message: string;
}

export interface Import {
  id: Id;
  fileName: string;
  status: 'running' | 'succeeded' | 'failed';
  linesRead: number;
  inserted: number;
  duplicates: number;
  bytesRead: number;
  totalBytes: number;
  errors: ImportError[];
  startedAt: string;
  finishedAt: string | null;
}

export type OrganisationRole = 'owner' | 'member';

export interface MyOrganisation {
  id: Id;
  name: string;
  role: OrganisationRole;
}

export interface Member {
  id: Id;
  email: string;
  displayName: string;
  role: OrganisationRole;
}

export interface Invitation {
  id: Id;
  email: string;
  role: OrganisationRole;
  createdAt: string;
  expiresAt: string;
  status: 'pending' | 'accepted' | 'expired' | 'revoked';
}

export interface NewInvitation {
  id: Id;
  email: string;
  role: OrganisationRole;
  expiresAt: string;
  token: string;
}

export interface InvitationPreview {
  organisation: string;
  email: string;
  role: OrganisationRole;
  expiresAt: string;
}

export interface ApiTokenSummary {
  id: Id;
  name: string;
  prefix: string;
  createdAt: string;
  expiresAt: string | null;
  scope: 'full' | 'read-only';
  projectIds: number[] | null;
}

export interface NewApiToken {
  id: Id;
  name: string;
  token: string;
  expiresAt: string | null;
  scope: 'full' | 'read-only';
  projectIds: number[] | null;
}

/** A signed-in browser of the account (GET /api/me/sessions). */
export interface SessionSummary {
  id: number;
  createdAt: string;
  lastSeenAt: string;
  userAgent: string | null;
  address: string | null;
  current: boolean;
}

/** A wrong password given for the account's email (GET /api/me/failed-logins). */
export interface FailedLoginSummary {
  at: string;
  kind: 'login' | 'signup' | 'password-change';
  address: string | null;
  userAgent: string | null;
}

export interface ExpertiseClaim {
  domain: string;
  evidence: string | null;
}

/** GET /api/me/profile: the profile page's data. */
export interface ProfileView {
  displayName: string;
  country: string | null;
  languages: string[];
  expertise: ExpertiseClaim[];
  sensitivityOptIns: string[];
  /** Categories the tasker may opt in to: those of published projects' items, and any chosen. */
  categories: string[];
  /** The ISO 3166-1 alpha-2 codes a profile may name. */
  countries: string[];
}

/** GET/PUT /api/projects/{id}/audience. */
export interface ProjectAudience {
  countryMode: 'anyone' | 'allow' | 'deny';
  countries: string[];
  languages: string[];
  expertise: string[];
  dailyExposureCap: number | null;
  operatorDailyExposureCap: number;
}
