/**
 * Progress of a multi-step run, in three renderings:
 *  - tty:   the whole step list redrawn in place, a spinner and the elapsed time on the running step;
 *  - plain: one line when a step starts and one when it ends (logs, CI);
 *  - json:  one JSON object per line per event, for scripts.
 * Steps are declared up front so the list (and "[3/9]") is known from the start.
 */
export type StepStatus = 'pending' | 'running' | 'done' | 'warn' | 'fail' | 'skip';

export interface StepState {
  id: string;
  title: string;
  status: StepStatus;
  detail: string;
  startedAt?: number;
  endedAt?: number;
}

export interface ProgressEvent {
  event: 'step';
  step: string;
  index: number;
  total: number;
  status: 'start' | 'progress' | 'done' | 'warn' | 'fail' | 'skip';
  title: string;
  detail?: string;
  elapsedMs?: number;
}

export interface ProgressReporter {
  start(id: string, detail?: string): void;
  /** a new detail for the running step ("6/9 containers healthy") */
  update(id: string, detail: string): void;
  done(id: string, detail?: string): void;
  warn(id: string, detail: string): void;
  fail(id: string, detail: string): void;
  skip(id: string, detail: string): void;
  /** runs `fn` (a prompt) with the display paused, then carries on below what it printed */
  interrupt<T>(fn: () => Promise<T>): Promise<T>;
  /** marks every step that has not started as skipped */
  skipPending(detail: string): void;
  /** marks the step that is running (if any) as failed: an error ended it */
  failRunning(detail: string): void;
  /** a free-form line between steps (plain/tty: printed; json: an event "note") */
  note(line: string): void;
  /** stop redrawing (tty) */
  close(): void;
}

export type ProgressMode = 'tty' | 'plain' | 'json';

const SPINNER = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const MARK: Record<StepStatus, string> = { pending: '·', running: '', done: '✔', warn: '!', fail: '✖', skip: '-' };

export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  return `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`;
}

abstract class BaseReporter implements ProgressReporter {
  protected readonly steps: StepState[];

  constructor(
    steps: { id: string; title: string }[],
    protected readonly now: () => number = Date.now,
  ) {
    this.steps = steps.map((s) => ({ ...s, status: 'pending', detail: '' }));
  }

  protected step(id: string): StepState {
    const s = this.steps.find((x) => x.id === id);
    if (!s) throw new Error(`unknown progress step ${id}`);
    return s;
  }

  protected index(s: StepState): number {
    return this.steps.indexOf(s) + 1;
  }

  protected elapsed(s: StepState): number {
    return ((s.endedAt ?? this.now()) - (s.startedAt ?? this.now()));
  }

  start(id: string, detail = ''): void {
    const s = this.step(id);
    s.status = 'running';
    s.detail = detail;
    s.startedAt = this.now();
    this.emit(s, 'start');
  }

  update(id: string, detail: string): void {
    const s = this.step(id);
    if (s.detail === detail) return;
    s.detail = detail;
    this.emit(s, 'progress');
  }

  private end(id: string, status: 'done' | 'warn' | 'fail' | 'skip', detail?: string): void {
    const s = this.step(id);
    if (s.startedAt === undefined) s.startedAt = this.now();
    s.status = status;
    if (detail !== undefined) s.detail = detail;
    s.endedAt = this.now();
    this.emit(s, status);
  }

  done(id: string, detail?: string): void {
    this.end(id, 'done', detail);
  }
  warn(id: string, detail: string): void {
    this.end(id, 'warn', detail);
  }
  fail(id: string, detail: string): void {
    this.end(id, 'fail', detail);
  }
  skip(id: string, detail: string): void {
    this.end(id, 'skip', detail);
  }

  skipPending(detail: string): void {
    for (const s of this.steps) if (s.status === 'pending') this.skip(s.id, detail);
  }

  interrupt<T>(fn: () => Promise<T>): Promise<T> {
    return fn();
  }

  failRunning(detail: string): void {
    for (const s of this.steps) if (s.status === 'running') this.fail(s.id, detail);
  }

  abstract note(line: string): void;
  abstract close(): void;
  protected abstract emit(s: StepState, what: ProgressEvent['status']): void;
}

/** One line per start and end; progress updates at most every `throttleMs`. */
export class PlainReporter extends BaseReporter {
  private lastProgress = 0;

  constructor(
    steps: { id: string; title: string }[],
    private readonly print: (line: string) => void,
    now?: () => number,
    private readonly throttleMs = 5000,
  ) {
    super(steps, now);
  }

  protected emit(s: StepState, what: ProgressEvent['status']): void {
    const head = `[${this.index(s)}/${this.steps.length}] ${s.title}`;
    if (what === 'start') this.print(`${head} ...${s.detail ? ` ${s.detail}` : ''}`);
    else if (what === 'progress') {
      if (this.now() - this.lastProgress < this.throttleMs) return;
      this.lastProgress = this.now();
      this.print(`${head}: ${s.detail} (${formatElapsed(this.elapsed(s))})`);
    } else {
      const word = { done: 'done', warn: 'done with warnings', fail: 'FAILED', skip: 'skipped' }[what];
      this.print(`${head}: ${word}${s.detail ? `: ${s.detail}` : ''}${what === 'skip' ? '' : ` (${formatElapsed(this.elapsed(s))})`}`);
    }
  }

  note(line: string): void {
    this.print(line);
  }

  /** steps a failure left unreached are not worth a line each in a log */
  override skipPending(): void {
    for (const s of this.steps) if (s.status === 'pending') s.status = 'skip';
  }

  close(): void {}
}

/** JSON lines: {"event":"step",...} per event, {"event":"note","message":...} for notes. */
export class JsonReporter extends BaseReporter {
  constructor(
    steps: { id: string; title: string }[],
    private readonly print: (line: string) => void,
    now?: () => number,
  ) {
    super(steps, now);
  }

  protected emit(s: StepState, what: ProgressEvent['status']): void {
    const ev: ProgressEvent = { event: 'step', step: s.id, index: this.index(s), total: this.steps.length, status: what, title: s.title };
    if (s.detail) ev.detail = s.detail;
    if (what !== 'start') ev.elapsedMs = this.elapsed(s);
    this.print(JSON.stringify(ev));
  }

  note(line: string): void {
    this.print(JSON.stringify({ event: 'note', message: line }));
  }

  close(): void {}
}

/** The step list redrawn in place (ANSI cursor movement), a spinner on the running step. */
export class TtyReporter extends BaseReporter {
  private drawn = 0;
  private frame = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    steps: { id: string; title: string }[],
    private readonly write: (text: string) => void,
    private readonly columns: () => number = () => 100,
    now?: () => number,
  ) {
    super(steps, now);
  }

  private line(s: StepState): string {
    const mark = s.status === 'running' ? SPINNER[this.frame % SPINNER.length]! : MARK[s.status];
    const time = s.status === 'pending' || s.status === 'skip' ? '' : ` ${formatElapsed(this.elapsed(s))}`;
    const text = `${mark} ${s.title}${s.detail ? `: ${s.detail}` : ''}`;
    const width = Math.max(20, this.columns() - time.length - 1);
    return (text.length > width ? `${text.slice(0, width - 1)}…` : text) + time;
  }

  private redraw(): void {
    let out = this.drawn ? `\x1b[${this.drawn}A` : '';
    for (const s of this.steps) out += `\r\x1b[2K${this.line(s)}\n`;
    this.drawn = this.steps.length;
    this.write(out);
  }

  protected emit(): void {
    if (!this.timer && this.steps.some((s) => s.status === 'running')) {
      this.timer = setInterval(() => {
        this.frame++;
        this.redraw();
        // nothing to animate between steps (and nothing may redraw over a prompt)
        if (!this.steps.some((s) => s.status === 'running')) this.stop();
      }, 100);
      this.timer.unref();
    }
    this.redraw();
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  override async interrupt<T>(fn: () => Promise<T>): Promise<T> {
    this.stop();
    try {
      return await fn();
    } finally {
      // the prompt printed below the list: draw a fresh list under it
      this.drawn = 0;
      this.redraw();
    }
  }

  note(line: string): void {
    // notes go above the list: clear it, print, draw it again below
    let out = this.drawn ? `\x1b[${this.drawn}A` : '';
    out += `\r\x1b[J${line}\n`;
    this.drawn = 0;
    this.write(out);
    this.redraw();
  }

  close(): void {
    this.stop();
    this.redraw();
  }
}

export function createReporter(
  mode: ProgressMode,
  steps: { id: string; title: string }[],
  io: { print: (line: string) => void; write: (text: string) => void; columns?: () => number },
): ProgressReporter {
  if (mode === 'json') return new JsonReporter(steps, io.print);
  if (mode === 'tty') return new TtyReporter(steps, io.write, io.columns);
  return new PlainReporter(steps, io.print);
}
