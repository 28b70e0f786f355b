/** PEM text in, typed blocks out. Certificates and keys are never re-read with regexes elsewhere. */

export interface PemBlock {
  /** the label between BEGIN and END, e.g. CERTIFICATE, PRIVATE KEY, RSA PRIVATE KEY */
  label: string;
  der: Buffer;
  /** the block's text as found, including BEGIN/END lines */
  text: string;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const m of text.matchAll(BLOCK)) {
    const body = m[2]!;
    // encrypted legacy keys carry headers (Proc-Type/DEK-Info) before the base64 body
    const base64 = body
      .split(/\r?\n/)
      .filter((line) => line.trim() !== '' && !line.includes(':'))
      .join('');
    blocks.push({ label: m[1]!, der: Buffer.from(base64, 'base64'), text: m[0] });
  }
  return blocks;
}

export function isPrivateKeyLabel(label: string): boolean {
  return label.endsWith('PRIVATE KEY');
}

export function derToPem(der: Buffer, label = 'CERTIFICATE'): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}
