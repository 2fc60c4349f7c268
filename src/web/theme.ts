import type { ThemeConfig } from 'antd';

export const BRAND_COLOR = '#1e5aa8';

export const theme: ThemeConfig = {
  token: {
    colorPrimary: BRAND_COLOR,
    borderRadius: 6,
    fontSize: 14,
  },
  components: {
    Layout: {
      headerBg: '#ffffff',
      headerPadding: '0 16px',
      headerHeight: 56,
      siderBg: '#0f2a4a',
      triggerBg: '#0b2038',
    },
    Menu: {
      darkItemBg: '#0f2a4a',
      darkSubMenuItemBg: '#0b2038',
      darkItemSelectedBg: BRAND_COLOR,
    },
  },
};

/** The same theme without motion: menus, dialogs and drawers open at once. */
export const stillTheme: ThemeConfig = { ...theme, token: { ...theme.token, motion: false } };
