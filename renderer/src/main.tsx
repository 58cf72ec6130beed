import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { RatingScreen } from './quality/RatingScreen';
import { isRatingRoute } from './quality/routes';
import './styles.css';
import './quality/quality.css';

const root = document.getElementById('root');
if (!root) throw new Error('missing #root');
createRoot(root).render(
  <StrictMode>{isRatingRoute(window.location) ? <RatingScreen /> : <App />}</StrictMode>,
);
