/**
 * A first guess at a WhatsApp user's time zone from their number's country calling code (the
 * Cloud API's `from` is the number in international form, without `+`). One zone per code: for a
 * country that spans several (US, Brazil, Russia, Mexico, Indonesia…) the most populous one, which
 * is why the person is told which zone a reminder was set in and can tell the assistant another.
 * Calling codes: ITU-T E.164 assignments; zones: the IANA time zone database.
 */
const ZONE_BY_CALLING_CODE: Record<string, string> = {
  '1': 'America/New_York',
  '7': 'Europe/Moscow',
  '20': 'Africa/Cairo',
  '27': 'Africa/Johannesburg',
  '30': 'Europe/Athens',
  '31': 'Europe/Amsterdam',
  '32': 'Europe/Brussels',
  '33': 'Europe/Paris',
  '34': 'Europe/Madrid',
  '36': 'Europe/Budapest',
  '39': 'Europe/Rome',
  '40': 'Europe/Bucharest',
  '41': 'Europe/Zurich',
  '43': 'Europe/Vienna',
  '44': 'Europe/London',
  '45': 'Europe/Copenhagen',
  '46': 'Europe/Stockholm',
  '47': 'Europe/Oslo',
  '48': 'Europe/Warsaw',
  '49': 'Europe/Berlin',
  '51': 'America/Lima',
  '52': 'America/Mexico_City',
  '53': 'America/Havana',
  '54': 'America/Argentina/Buenos_Aires',
  '55': 'America/Sao_Paulo',
  '56': 'America/Santiago',
  '57': 'America/Bogota',
  '58': 'America/Caracas',
  '60': 'Asia/Kuala_Lumpur',
  '61': 'Australia/Sydney',
  '62': 'Asia/Jakarta',
  '63': 'Asia/Manila',
  '64': 'Pacific/Auckland',
  '65': 'Asia/Singapore',
  '66': 'Asia/Bangkok',
  '81': 'Asia/Tokyo',
  '82': 'Asia/Seoul',
  '84': 'Asia/Ho_Chi_Minh',
  '86': 'Asia/Shanghai',
  '90': 'Europe/Istanbul',
  '91': 'Asia/Kolkata',
  '92': 'Asia/Karachi',
  '93': 'Asia/Kabul',
  '94': 'Asia/Colombo',
  '95': 'Asia/Yangon',
  '98': 'Asia/Tehran',
  '212': 'Africa/Casablanca',
  '213': 'Africa/Algiers',
  '216': 'Africa/Tunis',
  '221': 'Africa/Dakar',
  '233': 'Africa/Accra',
  '234': 'Africa/Lagos',
  '254': 'Africa/Nairobi',
  '351': 'Europe/Lisbon',
  '352': 'Europe/Luxembourg',
  '353': 'Europe/Dublin',
  '358': 'Europe/Helsinki',
  '380': 'Europe/Kyiv',
  '420': 'Europe/Prague',
  '502': 'America/Guatemala',
  '503': 'America/El_Salvador',
  '506': 'America/Costa_Rica',
  '507': 'America/Panama',
  '591': 'America/La_Paz',
  '593': 'America/Guayaquil',
  '595': 'America/Asuncion',
  '598': 'America/Montevideo',
  '880': 'Asia/Dhaka',
  '961': 'Asia/Beirut',
  '962': 'Asia/Amman',
  '964': 'Asia/Baghdad',
  '965': 'Asia/Kuwait',
  '966': 'Asia/Riyadh',
  '971': 'Asia/Dubai',
  '972': 'Asia/Jerusalem',
  '974': 'Asia/Qatar',
  '977': 'Asia/Kathmandu',
};

/** The zone guessed for a phone number (digits, country code first); undefined when the code is not listed. */
export function zoneForPhoneNumber(number: string): string | undefined {
  const digits = number.replace(/\D/g, '');
  for (const length of [3, 2, 1]) {
    const zone = ZONE_BY_CALLING_CODE[digits.slice(0, length)];
    if (zone) return zone;
  }
  return undefined;
}
