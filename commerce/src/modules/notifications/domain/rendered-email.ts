/** What the three templates return. */
export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}
