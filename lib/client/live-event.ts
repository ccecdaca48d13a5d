/** An event of the cutover's room as the browser receives it from the socket. */
export interface LiveEvent {
  type: string;
  cutoverId: string;
  at: string;
  actor?: string;
  subject?: string;
  data?: Record<string, unknown>;
}
