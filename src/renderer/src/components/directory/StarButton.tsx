import { appStore } from '../../store';

/** Favorite toggle for a site or a device (favorites hold both kinds of id). */
export function StarButton({ id, name, favorite }: { id: string; name: string; favorite: boolean }) {
  return (
    <button
      type="button"
      className="icon star"
      aria-pressed={favorite}
      aria-label={favorite ? `Remove ${name} from favorites` : `Add ${name} to favorites`}
      title={favorite ? 'Favorite' : 'Add to favorites'}
      onClick={() => void appStore.getState().favoriteToggled(id, !favorite)}
    >
      <span aria-hidden>{favorite ? '★' : '☆'}</span>
    </button>
  );
}
