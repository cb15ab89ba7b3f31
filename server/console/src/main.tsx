import { createRoot } from 'react-dom/client';
import '../../../components/report/report.css';
import './console.css';
import { App } from './App';

createRoot(document.getElementById('root')!).render(<App />);
