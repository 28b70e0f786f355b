/** The registry's storage: provider name, its "key: value, ..." config, and a custom CA bundle (1.4+). */
import { didYouMean } from '../../../util/levenshtein.js';
import { STORAGE_PROVIDERS } from '../../model.js';
import type { CfgEntry } from '../parse.js';
import { parseStorageConfig } from '../values.js';
import type { LegacyContext, LegacyRule } from './context.js';

export { STORAGE_PROVIDERS };

const caBundle: LegacyRule = {
  name: 'registry_custom_ca_bundle',
  reads: ['registry_custom_ca_bundle'],
  writes: ['storage_service.ca_bundle'],
  apply(ctx) {
    const entry = ctx.entry('registry_custom_ca_bundle');
    if (entry && entry.value !== '') ctx.set('storage_service.ca_bundle', entry.value, entry);
  },
};

const provider: LegacyRule = {
  name: 'storage provider',
  reads: ['registry_storage_provider_name', 'registry_storage_provider_config'],
  writes: ['storage_service.<provider>.*'],
  apply(ctx) {
    const nameEntry = ctx.entry('registry_storage_provider_name');
    const configEntry = ctx.entry('registry_storage_provider_config');
    const name = nameEntry?.value || 'filesystem';
    if (!(STORAGE_PROVIDERS as readonly string[]).includes(name)) {
      const guess = didYouMean(name.toLowerCase(), STORAGE_PROVIDERS);
      ctx.error(
        'E_CFG_STORAGE_PROVIDER',
        `registry_storage_provider_name = ${JSON.stringify(name)} is not a storage driver Harbor knows${guess ? `; did you mean ${guess}?` : ''}`,
        `Use one of ${STORAGE_PROVIDERS.join(', ')}.`,
        nameEntry,
        'storage_service',
      );
    } else if (configEntry && configEntry.value !== '') {
      mapProviderConfig(ctx, name, configEntry);
      if (nameEntry) ctx.origin('storage_service', [nameEntry]);
    } else if (name !== 'filesystem') {
      ctx.error(
        'E_CFG_STORAGE_CONFIG',
        `registry_storage_provider_name is ${name} but registry_storage_provider_config is empty (legacy Harbor refused this too)`,
        `Give the ${name} settings as "key: value, key2: value2" in registry_storage_provider_config.`,
        configEntry ?? nameEntry,
        `storage_service.${name}`,
      );
    }
  },
};

function mapProviderConfig(ctx: LegacyContext, name: string, configEntry: CfgEntry): void {
  const parsed = parseStorageConfig(configEntry.value);
  if (parsed.bad.length > 0) {
    const one = parsed.bad.length === 1;
    ctx.error(
      'E_CFG_STORAGE_CONFIG',
      `registry_storage_provider_config has ${parsed.bad.length} part${one ? '' : 's'} that ${one ? 'is' : 'are'} not "key: value"`,
      'Write it as a comma-separated list of key: value pairs, e.g. "accesskey: AK, secretkey: SK, region: us-east-1, bucket: harbor" (values cannot contain commas).',
      configEntry,
      `storage_service.${name}`,
    );
    return;
  }
  const config: Record<string, unknown> = {};
  for (const pair of parsed.pairs) config[pair.key] = pair.value;
  ctx.set(`storage_service.${name}`, config, configEntry);
  for (const pair of parsed.pairs) ctx.origin(`storage_service.${name}.${pair.key}`, [configEntry]);
  const cramped = parsed.pairs.filter((p) => p.missingSpace).map((p) => p.key);
  if (cramped.length > 0) {
    ctx.warn(
      'W_CFG_STORAGE_CONFIG',
      `in registry_storage_provider_config, ${cramped.join(', ')} ${cramped.length === 1 ? 'has' : 'have'} no space after ":"; legacy Harbor wrote such pairs into an invalid registry config, regctl reads them as key: value`,
      'Put a space after each ":" to keep the file readable by both.',
      configEntry,
      `storage_service.${name}`,
    );
  }
}

export const STORAGE_RULES: readonly LegacyRule[] = [caBundle, provider];
