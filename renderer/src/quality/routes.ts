/** The citizen's rating screen: `/danh-gia` in the web build, `#/danh-gia` in Electron's second window. */
export const RATING_PATH = '/danh-gia';

export const isRatingRoute = (location: Pick<Location, 'pathname' | 'hash'>) =>
  location.pathname === RATING_PATH || location.hash === `#${RATING_PATH}`;
