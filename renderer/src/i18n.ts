// The renderer's texts come from the one shared catalogue, so the CLI, services and UI speak alike.
export { format, vi as t } from '../../electron/api/i18n';
