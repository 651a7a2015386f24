/**
 * How Teams' light theme looks to the Adaptive Cards renderer: a host config and the CSS for the
 * elements the renderer leaves to the host (buttons, inputs). Written for this gallery from what
 * Teams shows, so the pictures read like the cards people get; Teams itself remains the judge.
 */

const FONT =
  "'Segoe UI', 'Segoe UI Web (West European)', -apple-system, 'Helvetica Neue', 'Liberation Sans', Arial, sans-serif";

const TEXT = {
  default: { default: '#242424', subtle: '#616161' },
  dark: { default: '#242424', subtle: '#424242' },
  light: { default: '#FFFFFF', subtle: '#F5F5F5' },
  accent: { default: '#5B5FC7', subtle: '#4F52B2' },
  good: { default: '#0E700E', subtle: '#107C10' },
  warning: { default: '#835C00', subtle: '#8A5A00' },
  attention: { default: '#C4314B', subtle: '#A4262C' },
};

export const TEAMS_LIGHT_HOST_CONFIG = {
  supportsInteractivity: true,
  fontFamily: FONT,
  fontSizes: { small: 12, default: 14, medium: 14, large: 18, extraLarge: 24 },
  fontWeights: { lighter: 300, default: 400, bolder: 600 },
  lineHeights: { small: 16, default: 20, medium: 20, large: 24, extraLarge: 32 },
  spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
  separator: { lineThickness: 1, lineColor: '#E0E0E0' },
  imageSizes: { small: 32, medium: 52, large: 100 },
  containerStyles: {
    default: { backgroundColor: '#FFFFFF', foregroundColors: TEXT },
    emphasis: { backgroundColor: '#F5F5F5', foregroundColors: TEXT },
    accent: { backgroundColor: '#E8EBFA', foregroundColors: TEXT },
    good: { backgroundColor: '#F1FAF1', foregroundColors: TEXT },
    attention: { backgroundColor: '#FDF3F4', foregroundColors: TEXT },
    warning: { backgroundColor: '#FBF6D9', foregroundColors: TEXT },
  },
  actions: {
    maxActions: 6,
    spacing: 'default',
    buttonSpacing: 8,
    showCard: { actionMode: 'inline', inlineTopMargin: 16, style: 'emphasis' },
    actionsOrientation: 'horizontal',
    actionAlignment: 'left',
    iconPlacement: 'leftOfTitle',
  },
  factSet: {
    title: {
      color: 'default',
      size: 'default',
      isSubtle: false,
      weight: 'bolder',
      wrap: true,
      maxWidth: 150,
    },
    value: { color: 'default', size: 'default', isSubtle: false, weight: 'default', wrap: true },
    spacing: 12,
  },
  inputs: {
    label: {
      requiredInputs: { weight: 'bolder', suffix: ' *', suffixColor: 'attention' },
      optionalInputs: { weight: 'bolder' },
    },
    errorMessage: { size: 'small', color: 'attention' },
  },
};

export const TEAMS_LIGHT_CSS = `
  :root { color-scheme: light; }
  body { margin: 0; padding: 24px; background: #F5F5F5; font-family: ${FONT}; color: #242424; }
  .frame { width: 480px; background: #FFFFFF; border: 1px solid #E0E0E0; border-radius: 8px;
    box-shadow: 0 1px 2px rgba(0,0,0,0.12); overflow: hidden; }
  .ac-adaptiveCard { border-radius: 8px; }
  .ac-textBlock p { margin: 0; }
  .ac-actionSet { flex-wrap: wrap; row-gap: 8px; }
  .ac-pushButton { font-family: inherit; font-size: 14px; font-weight: 600; line-height: 20px;
    min-height: 32px; padding: 5px 12px; border-radius: 4px; border: 1px solid #D1D1D1;
    background: #FFFFFF; color: #242424; cursor: pointer; flex: 0 1 auto !important;
    overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .ac-pushButton.style-positive { background: #5B5FC7; border-color: #5B5FC7; color: #FFFFFF; }
  .ac-pushButton.style-destructive { color: #C4314B; }
  .ac-pushButton.expanded { background: #E8EBFA; border-color: #5B5FC7; }
  .ac-input { font-family: inherit; font-size: 14px; }
  .ac-input input, .ac-input textarea, .ac-input select, input.ac-input, textarea.ac-input, select.ac-input {
    font-family: inherit; font-size: 14px; color: #242424; background: #F5F5F5; border: 1px solid #E0E0E0;
    border-bottom-color: #616161; border-radius: 4px; padding: 5px 8px; min-height: 20px; box-sizing: border-box; }
  .ac-textInput.ac-multiline { min-height: 72px; }
`;
