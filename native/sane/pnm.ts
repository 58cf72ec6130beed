// The driver writes its page files in imaging's PNM format: one definition, in electron/services/imaging/pnm.ts.
export {
  type PnmInfo,
  type PnmKind,
  parsePnm,
  pnmHeader,
  pnmKindFor,
  pnmRowBytes,
} from '../../electron/services/imaging/pnm';
