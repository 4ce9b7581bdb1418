/**
 * The WMO weather interpretation codes Open-Meteo reports (its docs list exactly these), in words and as
 * the nearest OpenWeather icon, so both providers describe the sky the same way.
 */
export interface WmoCode {
  description: string;
  /** The condition half of an OpenWeather icon code; the day/night letter comes from is_day. */
  icon: string;
}

export const wmoCodes: Readonly<Record<number, WmoCode>> = {
  0: { description: 'clear sky', icon: '01' },
  1: { description: 'mainly clear', icon: '02' },
  2: { description: 'partly cloudy', icon: '03' },
  3: { description: 'overcast', icon: '04' },
  45: { description: 'fog', icon: '50' },
  48: { description: 'depositing rime fog', icon: '50' },
  51: { description: 'light drizzle', icon: '09' },
  53: { description: 'moderate drizzle', icon: '09' },
  55: { description: 'dense drizzle', icon: '09' },
  56: { description: 'light freezing drizzle', icon: '09' },
  57: { description: 'dense freezing drizzle', icon: '09' },
  61: { description: 'slight rain', icon: '10' },
  63: { description: 'moderate rain', icon: '10' },
  65: { description: 'heavy rain', icon: '10' },
  66: { description: 'light freezing rain', icon: '13' },
  67: { description: 'heavy freezing rain', icon: '13' },
  71: { description: 'slight snow fall', icon: '13' },
  73: { description: 'moderate snow fall', icon: '13' },
  75: { description: 'heavy snow fall', icon: '13' },
  77: { description: 'snow grains', icon: '13' },
  80: { description: 'slight rain showers', icon: '09' },
  81: { description: 'moderate rain showers', icon: '09' },
  82: { description: 'violent rain showers', icon: '09' },
  85: { description: 'slight snow showers', icon: '13' },
  86: { description: 'heavy snow showers', icon: '13' },
  95: { description: 'thunderstorm', icon: '11' },
  96: { description: 'thunderstorm with slight hail', icon: '11' },
  99: { description: 'thunderstorm with heavy hail', icon: '11' },
};
