import { create } from 'zustand';

interface PopupState {
  selectedCallId: string | null;
  select(callId: string | null): void;
}

export const usePopupStore = create<PopupState>((set) => ({
  selectedCallId: null,
  select: (selectedCallId) => set({ selectedCallId }),
}));
