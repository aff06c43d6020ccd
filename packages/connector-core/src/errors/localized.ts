/** A text a person reads, in both languages AIC users work in. */
export interface LocalizedText {
  readonly es: string;
  readonly en: string;
}

/** Builds a {@link LocalizedText}. */
export const text = (es: string, en: string): LocalizedText => Object.freeze({ es, en });
