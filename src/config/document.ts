/**
 * A parsed config file before it becomes the model: harbor.yml's shape as plain data, plus a way to
 * find where each key came from. harbor.yml parses straight into this; a legacy harbor.cfg is
 * mapped into the same shape (src/config/legacy/), so both share one validator and one model
 * builder, and every message can name the file, line and key the user wrote.
 */
import type { Problem, SourceLocation } from '../errors.js';

export interface ConfigDocument {
  /** absolute path of the file the user gave */
  file: string;
  format: 'yml' | 'cfg';
  /** harbor.yml-shaped data (keys as in harbor.yml, snake_case) */
  data: Record<string, unknown>;
  /**
   * Where a harbor.yml key path (e.g. 'https.certificate') was written. For a cfg this is the
   * legacy line that produced the value (e.g. ssl_cert at line 21). Falls back to the nearest
   * parent that exists, else the file alone.
   */
  locate(keyPath: string): SourceLocation;
  /**
   * Certificate files the config names although its result serves plain http (a harbor.cfg with
   * ui_url_protocol = http and ssl_cert set). If such a file exists the user meant https.
   */
  unservedCertificates?: { path: string; location: SourceLocation }[];
}

/** Result of reading one file: the document, or problems (syntax errors) and no document. */
export interface ParsedConfig {
  doc?: ConfigDocument;
  /** syntax errors, legacy-format warnings, unmapped keys... */
  problems: Problem[];
}
