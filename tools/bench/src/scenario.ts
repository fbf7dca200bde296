/** A table of results: the first row of `rows` lines up with `headers`. */
export interface ResultTable {
  caption?: string
  headers: string[]
  rows: string[][]
}

/** A target of the issues, checked against a reference measured in the same run. */
export interface TargetCheck {
  target: string
  measured: string
  /** undefined: not applicable in this run (say why in `note`). */
  pass: boolean | undefined
  note?: string
}

/** What a scenario hands back for the console and BENCHMARKS.md. */
export interface ScenarioReport {
  parameters: Array<[name: string, value: string]>
  tables: ResultTable[]
  checks: TargetCheck[]
  /** Short generated remarks (e.g. what a ceiling is computed from). */
  notes: string[]
}

export interface ScenarioContext {
  /** Folder for `--cpu-prof` profiles of the measured engine processes, when profiling. */
  profileDir: string | undefined
  /** Prints a progress line. */
  log(message: string): void
}

export interface Scenario {
  name: string
  /** Heading of its BENCHMARKS.md section. */
  title: string
  run(context: ScenarioContext): Promise<ScenarioReport>
}
