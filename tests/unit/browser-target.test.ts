import { describe, expect, it } from 'vitest';

// The unit suite runs twice: as the Chrome/Edge build (project "unit") and as the Firefox build
// ("unit-firefox"). This test makes sure each run really is the target it claims to be.
describe('browser target', () => {
  it('the environment and the manifest agree on the browser being tested', async () => {
    const target = import.meta.env.BROWSER;
    expect(['chrome', 'firefox']).toContain(target);
    const config = (await import('../../wxt.config')).default as { manifest: (env: { browser: string }) => Record<string, unknown> };
    const manifest = config.manifest({ browser: target });
    if (target === 'firefox') {
      expect(manifest).toMatchObject({ browser_specific_settings: { gecko: { id: 'candor@candor.dev', data_collection_permissions: { required: ['none'] } } } });
      expect(manifest.key).toBeUndefined();
    } else {
      expect(typeof manifest.key).toBe('string');
    }
  }, 20_000);
});
