import { startPromptFrame } from '../../components/consent-prompt/frame';

// The consent prompt's own frame, embedded by the call page's content script (no zod, no React:
// it must be on screen within milliseconds of admission).
startPromptFrame();
