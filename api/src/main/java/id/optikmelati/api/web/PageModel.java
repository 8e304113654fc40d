package id.optikmelati.api.web;

import id.optikmelati.api.ShopProperties;
import id.optikmelati.api.branch.BranchRepository;
import id.optikmelati.contract.ShopPrincipal;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.TreeMap;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.data.domain.Sort;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

/** What the layout of every page needs: who is logged in, their branches, where the realtime nodes are. */
@ControllerAdvice(annotations = ShopPage.class)
class PageModel {

    private final BranchRepository branches;
    private final ShopProperties.Web web;

    PageModel(BranchRepository branches, ShopProperties properties) {
        this.branches = branches;
        this.web = properties.web();
    }

    record BranchOption(long id, String name) {}

    @ModelAttribute("me")
    ShopPrincipal me() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        return auth != null && auth.getPrincipal() instanceof ShopPrincipal p ? p : null;
    }

    @ModelAttribute("branches")
    List<BranchOption> branches() {
        ShopPrincipal me = me();
        if (me == null) {
            return List.of();
        }
        return branches.findAll(Sort.by("id")).stream().filter(b -> me.mayAccessBranch(b.getId()))
                .map(b -> new BranchOption(b.getId(), b.getName())).toList();
    }

    /** Every branch of the chain, for a page that names another one (where a transfer comes from). */
    @ModelAttribute("chainBranches")
    List<BranchOption> chainBranches() {
        if (me() == null) {
            return List.of();
        }
        return branches.findAll(Sort.by("id")).stream().map(b -> new BranchOption(b.getId(), b.getName())).toList();
    }

    @ModelAttribute("realtimeUrls")
    String realtimeUrls() {
        return String.join(",", web.realtimeUrls());
    }

    @ModelAttribute("hiddenDisconnectAfterMs")
    long hiddenDisconnectAfterMs() {
        return web.hiddenDisconnectAfter().toMillis();
    }

    /** Whether the viewer's browser keeps its stream while every tab is hidden (background alerts). */
    @ModelAttribute("backgroundAlerts")
    boolean backgroundAlerts() {
        return viewerIsOneOf(web.backgroundAlertRoles());
    }

    /** Whether a product that became critical stops the viewer's screen with a popup, or only shows a toast. */
    @ModelAttribute("criticalPopup")
    boolean criticalPopup() {
        return viewerIsOneOf(web.criticalPopupRoles());
    }

    private boolean viewerIsOneOf(java.util.Set<id.optikmelati.contract.Role> roles) {
        ShopPrincipal me = me();
        return me != null && roles.contains(me.role());
    }

    /** The {@code js.*} messages in the page's language, for the page scripts (rendered as a JSON data block). */
    @ModelAttribute("jsMessages")
    Map<String, String> jsMessages() {
        Locale locale = LocaleContextHolder.getLocale();
        ResourceBundle bundle = ResourceBundle.getBundle("messages", locale.getLanguage().equals("en")
                ? Locale.ENGLISH : Locale.ROOT, ResourceBundle.Control.getNoFallbackControl(
                ResourceBundle.Control.FORMAT_PROPERTIES));
        Map<String, String> out = new TreeMap<>();
        for (String key : bundle.keySet()) {
            if (key.startsWith("js.")) {
                out.put(key.substring(3), bundle.getString(key));
            }
        }
        return out;
    }

    @ModelAttribute("lang")
    String lang() {
        Locale locale = LocaleContextHolder.getLocale();
        return locale.getLanguage().equals("en") ? "en" : "id";
    }
}
