// The two systems' colours, shared by the charts and the tiles' sparklines.
export const OLD_COLOR = "#737373";
export const NEW_COLOR = "#2563eb";
