import Bowser from 'bowser';

/** "Chrome 131 on Linux", "Safari 17 on iPhone (iOS 17.2)" — what a user recognises in a session list. */
export function deviceName(userAgent: string | null | undefined): string {
  if (!userAgent) return 'Unknown device';
  const { browser, os, platform } = Bowser.parse(userAgent.slice(0, 512));
  const browserPart = browser.name
    ? `${browser.name}${browser.version ? ` ${browser.version.split('.')[0]}` : ''}`
    : '';
  const osVersion = os.versionName ?? os.version;
  const osPart = os.name ? `${os.name}${osVersion ? ` ${osVersion}` : ''}` : '';
  const where = platform.model && platform.type !== 'desktop' ? `${platform.model} (${osPart})` : osPart;
  if (browserPart && where) return `${browserPart} on ${where}`;
  return browserPart || where || 'Unknown device';
}
