import { create } from 'zustand';

interface PopupState {
  selectedCallId: string | null;
  /** The row a call's detail was opened from ("list:callId"): it takes the focus back on return. */
  returnFocusTo: string | null;
  select(callId: string | null, fromRow?: string): void;
}

export const usePopupStore = create<PopupState>((set) => ({
  selectedCallId: null,
  returnFocusTo: null,
  select: (selectedCallId, fromRow) => set(fromRow ? { selectedCallId, returnFocusTo: fromRow } : { selectedCallId }),
}));
