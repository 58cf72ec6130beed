import { type FormEvent, useId } from 'react';
import type { ScannerView, ScanSettingsView } from '../../../electron/api/desk-api';
import { t } from '../i18n';

/** The scanner and profile pickers and the scanner's settings (source, mode, resolution, page size). */
export function ScannerSettings(props: {
  scanners: ScannerView[] | null;
  scanner: ScannerView | null;
  scannerId: string;
  profileName: string;
  settings: ScanSettingsView | null;
  onPickScanner: (id: string) => void;
  onPickProfile: (name: string) => void;
  onSet: <K extends keyof ScanSettingsView>(key: K, value: ScanSettingsView[K]) => void;
}) {
  const ids = { scanner: useId(), profile: useId() };
  const { scanners, scanner, settings, onSet: set } = props;
  if (scanners === null) return <p className="muted">{t.scanPanel.searching}</p>;
  if (scanners.length === 0) return <p className="muted">{t.scanPanel.none}</p>;
  return (
    <div className="scan-controls">
      <div>
        <label htmlFor={ids.scanner}>{t.scanPanel.scanner}</label>
        <select
          id={ids.scanner}
          value={props.scannerId}
          onChange={(e) => props.onPickScanner(e.target.value)}
        >
          {scanners.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </div>
      <div>
        <label htmlFor={ids.profile}>{t.scanPanel.profile}</label>
        <select
          id={ids.profile}
          value={props.profileName}
          onChange={(e) => props.onPickProfile(e.target.value)}
        >
          <option value="">{t.scanPanel.noProfile}</option>
          {scanner?.profiles.map((p) => (
            <option key={p.name} value={p.name}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      {scanner && settings && (
        <>
          <Choice
            label={t.scanPanel.source}
            value={settings.source}
            options={scanner.capabilities.sources.map((v) => [v, t.scanPanel.sources[v]])}
            onChange={(v) => set('source', v)}
          />
          <Choice
            label={t.scanPanel.mode}
            value={settings.mode}
            options={scanner.capabilities.modes.map((v) => [v, t.scanPanel.modes[v]])}
            onChange={(v) => set('mode', v)}
          />
          <Choice
            label={t.scanPanel.resolution}
            value={String(settings.resolution)}
            options={scanner.capabilities.resolutions.map((v) => [String(v), String(v)])}
            onChange={(v) => set('resolution', Number(v))}
          />
          <Choice
            label={t.scanPanel.pageSize}
            value={settings.pageSize}
            options={scanner.capabilities.pageSizes.map((v) => [v, v])}
            onChange={(v) => set('pageSize', v)}
          />
        </>
      )}
    </div>
  );
}

/** Names the current settings as a profile; Esc leaves without saving. */
export function ProfileForm(props: {
  draft: string;
  onDraft: (draft: string | null) => void;
  onSave: (name: string) => void;
}) {
  const id = useId();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const name = props.draft.trim();
    if (name) props.onSave(name);
  };
  return (
    <form className="profile-form" onSubmit={submit}>
      <label htmlFor={id}>{t.scanPanel.profileName}</label>
      <input
        id={id}
        value={props.draft}
        maxLength={60}
        onChange={(e) => props.onDraft(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && props.onDraft(null)}
        // biome-ignore lint/a11y/noAutofocus: the clerk just asked to name the profile
        autoFocus
      />
      <button type="submit">{t.home.save}</button>
    </form>
  );
}

function Choice<V extends string>(props: {
  label: string;
  value: V;
  options: [V, string][];
  onChange: (value: V) => void;
}) {
  const id = useId();
  return (
    <div>
      <label htmlFor={id}>{props.label}</label>
      <select id={id} value={props.value} onChange={(e) => props.onChange(e.target.value as V)}>
        {props.options.map(([value, text]) => (
          <option key={value} value={value}>
            {text}
          </option>
        ))}
      </select>
    </div>
  );
}
