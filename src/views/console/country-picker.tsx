/**
 * The profile editor's allowed countries: follow the deployment's default, only the ticked countries,
 * or every country (with a warning). Without JavaScript every country is a checkbox in a scrolling
 * list; console.js adds a search box, a preset and a live count.
 */
import { countryChoices, EU_EEA_GB_CH } from '../../domain/countries';
import { FieldError, type FormState } from './form-fields';

/** The allowed countries' choice: follow the deployment's default, only the ticked ones, or every country. */
export type CountriesMode = 'default' | 'list' | 'all';
/** Each country is a checkbox of its own, "allowedCountries.SE", so the form's values stay one string per field. */
export const COUNTRY_FIELD_PREFIX = 'allowedCountries.';
export const countryFieldName = (code: string): string => `${COUNTRY_FIELD_PREFIX}${code}`;

const CHOICES = countryChoices();

const listed = (codes: readonly string[]) => (codes.length <= 12 ? codes.join(', ') : `${codes.slice(0, 12).join(', ')} and ${codes.length - 12} more`);

export function CountryPicker(props: { form: FormState; readonly: boolean; defaultCountries: readonly string[] }) {
  const { form, readonly, defaultCountries } = props;
  const mode = (form.values['allowedCountriesMode'] ?? 'default') as CountriesMode;
  const error = form.errors['allowedCountries'];
  const everyCountry = mode === 'all' || (mode === 'default' && defaultCountries.length === 0);
  const ticked = CHOICES.filter((country) => form.values[countryFieldName(country.code)] === 'on').map((country) => country.code);
  const radio = (value: CountriesMode, label: string, hint: string) => (
    <div class="check">
      <input
        type="radio"
        id={`profile-allowedCountriesMode-${value}`}
        name="allowedCountriesMode"
        value={value}
        checked={mode === value}
        disabled={readonly}
        data-testid={`countries-mode-${value}`}
      />
      <label for={`profile-allowedCountriesMode-${value}`}>{label}</label>
      <p class="hint">{hint}</p>
    </div>
  );
  return (
    <fieldset id="profile-allowedCountries" class={error ? 'has-error' : undefined} tabindex={-1} data-testid="allowed-countries">
      <legend>Allowed countries</legend>
      <p class="hint">
        Requests go only to mobile numbers of these countries, by SMS or push. A number of another country is refused with 400 (field msisdn) before
        anything is sent.
      </p>
      {everyCountry && (
        <div class="alert warning" role="note" data-testid="every-country-warning">
          <strong>Every country is allowed.</strong> Anyone who can reach a login form that calls this endpoint can have SMS sent to any number on earth,
          including high-cost destinations (SMS pumping). Choose the countries your users live in unless you truly serve the whole world.
        </div>
      )}
      {radio(
        'default',
        'The deployment’s default',
        defaultCountries.length ? `DEFAULT_ALLOWED_COUNTRIES: ${defaultCountries.length} countries (${listed(defaultCountries)}). Follows it when it changes.` : 'DEFAULT_ALLOWED_COUNTRIES is empty: every country.',
      )}
      {radio('list', 'Only the countries ticked below', 'Tick at least one.')}
      {radio('all', 'Every country', 'Any number on earth: see the warning.')}
      <FieldError id="profile-allowedCountries" error={error} />
      <div class="country-picker" data-country-picker>
        <div class="country-tools" hidden data-country-tools>
          <label class="visually-hidden" for="country-filter">
            Search countries
          </label>
          <input type="search" id="country-filter" placeholder="Search countries, codes or +46" autocomplete="off" data-country-filter data-testid="country-filter" />
          {!readonly && (
            <>
              <button type="button" class="button small" data-country-preset={EU_EEA_GB_CH.join(',')} data-testid="country-preset">
                EU/EEA, GB and CH
              </button>
              <button type="button" class="button small" data-country-clear data-testid="country-clear">
                Clear
              </button>
            </>
          )}
          <span class="hint" aria-live="polite" data-country-count data-testid="country-count">
            {`${ticked.length} ticked`}
          </span>
        </div>
        <p class="hint" data-country-ticked data-testid="country-ticked">
          {ticked.length ? `Ticked: ${ticked.join(', ')}` : 'None ticked.'}
        </p>
        <ul class="country-list" aria-label="Countries">
          {CHOICES.map((country) => (
            <li data-country={`${country.name} ${country.code} +${country.callingCode}`.toLowerCase()}>
              <input
                type="checkbox"
                id={`country-${country.code}`}
                name={countryFieldName(country.code)}
                checked={form.values[countryFieldName(country.code)] === 'on'}
                disabled={readonly}
                data-testid={`country-${country.code}`}
              />
              <label for={`country-${country.code}`}>
                {country.name} <span class="muted">{`${country.code} +${country.callingCode}`}</span>
              </label>
            </li>
          ))}
        </ul>
      </div>
    </fieldset>
  );
}
